// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Toolhost",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "toolhost", targets: ["toolhost"]),
        .library(name: "ToolhostCore", targets: ["ToolhostCore"]),
        .library(name: "Registry", targets: ["Registry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries, linked through pkg-config; `make test` installs the Debian packages.
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),

        // JSON value, JSON Schema 2020-12, manifest model, privilege, SemVer, errors.
        .target(name: "ToolhostCore"),
        // The catalog: packages, immutable versions and tools in SQLite, with full-text and capability search.
        .target(
            name: "Registry",
            dependencies: ["ToolhostCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The built-in tools: their manifests (read from Tools/) and, later, their handlers.
        .target(name: "BuiltinTools", dependencies: ["ToolhostCore"]),
        // The commands of the `toolhost` CLI, as a library so that the executable stays thin.
        .target(
            name: "ToolhostCLI",
            dependencies: [
                "ToolhostCore", "Registry", "BuiltinTools",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "toolhost", dependencies: ["ToolhostCLI"]),

        .testTarget(name: "ToolhostCoreTests", dependencies: ["ToolhostCore"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "BuiltinTools"]),
        .testTarget(name: "BuiltinToolsTests", dependencies: ["BuiltinTools", "ToolhostCore"]),
        .testTarget(name: "ToolhostCLITests", dependencies: ["ToolhostCLI", "toolhost"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CSeccomp", "CCurl", "CArchive"]),
    ]
)

// Strict settings on every Swift target (as swift-log does): Swift 6 mode with complete concurrency
// checking, plus the upcoming features that make imports and existentials explicit.
for target in package.targets where [.executable, .test, .regular].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableExperimentalFeature("StrictConcurrency"))
    target.swiftSettings = settings
}
