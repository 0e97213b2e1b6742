// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Toolhost",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "toolhost", targets: ["toolhost"]),
        .executable(name: "toolhost-sandbox", targets: ["toolhost-sandbox"]),
        .library(name: "ToolhostCore", targets: ["ToolhostCore"]),
        .library(name: "Registry", targets: ["Registry"]),
        .library(name: "Sandbox", targets: ["Sandbox"]),
        .library(name: "Host", targets: ["Host"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries, linked through pkg-config; `make test` installs the Debian packages.
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // The child side of the sandbox, in C: Swift never runs between fork and exec.
        .executableTarget(
            name: "toolhost-sandbox",
            cSettings: [.define("_GNU_SOURCE"), .unsafeFlags(["-Wall", "-Wextra", "-Werror"])],
            // A freestanding static executable (see Sources/toolhost-sandbox/rt.c): no Swift start-up
            // object or runtime (-nostartfiles; -static-executable pulls in nothing unreferenced) and
            // no C library (-nostdlib). Dynamic linking plus glibc's start-up would add ~0.5 ms to
            // every sandboxed run; linked as SwiftPM does by default (libswiftCore) it is ~2 ms.
            linkerSettings: [.unsafeFlags(["-nostartfiles", "-static-executable", "-Xclang-linker", "-nostdlib"])]
        ),

        // JSON value, JSON Schema 2020-12, manifest model, privilege, SemVer, errors.
        .target(name: "ToolhostCore"),
        .target(name: "ArchiveSupport", dependencies: ["CArchive"]),
        .target(name: "Storage", dependencies: ["ToolhostCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Supervisor-side syscalls Swift cannot call directly (no glibc wrappers, variadic C).
        .target(name: "CSandboxSupport", cSettings: [.define("_GNU_SOURCE")]),
        // SQLite's unix VFS with its path system calls confined to a workspace descriptor (openat2),
        // and the connection settings that keep SQL away from the host process.
        .target(
            name: "CSQLiteConfinement", cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // The sandbox: policy as data, seccomp compilation, cgroups, supervision and accounting.
        .target(name: "Sandbox", dependencies: ["ToolhostCore", "CSeccomp", "CSandboxSupport"]),
        // The catalog: packages, immutable versions and tools in SQLite, with full-text and capability search.
        .target(
            name: "Registry",
            dependencies: [
                "ToolhostCore", "Storage", "ArchiveSupport", "CArchive",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The built-in tools: their manifests (read from Tools/) and their Swift handlers.
        .target(
            name: "BuiltinTools",
            dependencies: [
                "ToolhostCore", "Sandbox", "CSandboxSupport", "CSQLiteConfinement", "CCurl", "ArchiveSupport", "CArchive", "CZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // regex and file_search use ICU's regex engine through the toolchain's `_FoundationICU`
            // module (the ICU that Foundation itself loads); its module map does not autolink.
            linkerSettings: [.linkedLibrary("_FoundationICU")]
        ),
        // Spans of tool calls (and later workflow runs) in SQLite, with the indexes trace queries need.
        .target(name: "Traces", dependencies: ["ToolhostCore", "Storage", .product(name: "GRDB", package: "GRDB.swift")]),
        // The one path every tool call takes: resolve, authorize, approval gate, validate, circuit
        // breaker, run (built-in or sandboxed package), validate output, span.
        .target(
            name: "Host",
            dependencies: [
                "ToolhostCore", "Storage", "Registry", "Sandbox", "BuiltinTools", "Traces",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP API (Hummingbird): auth, tenants, the registry's routes, OpenAPI.
        .target(
            name: "Workflow",
            dependencies: ["ToolhostCore", "Storage", "Host", .product(name: "Yams", package: "Yams"), .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "Server",
            dependencies: [
                "ToolhostCore", "Storage", "Registry", "BuiltinTools", "Host", "Sandbox", "Traces",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The commands of the `toolhost` CLI, as a library so that the executable stays thin.
        .target(
            name: "ToolhostCLI",
            dependencies: [
                "ToolhostCore", "Storage", "Registry", "BuiltinTools", "Sandbox", "Server", "Host", "Traces", "CCurl", "CArchive", "CSeccomp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "toolhost", dependencies: ["ToolhostCLI"]),

        // Benchmarks (`make bench`): ratios against a baseline measured in the same run.
        .executableTarget(name: "sandbox-benchmark", dependencies: ["Sandbox"], path: "Benchmarks/SandboxBenchmark"),
        // Runs `toolhost serve` (built next to it) and a Hummingbird hello-world, and drives both with wrk.
        .executableTarget(
            name: "registry-benchmark",
            dependencies: [
                "Registry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/RegistryBenchmark"),

        // Helpers shared by test targets (hostile archives written with libarchive).
        // Peers the tests talk to (a loopback fixture HTTP server, an aiosmtpd SMTP server) and archives.
        .target(
            name: "TestSupport",
            dependencies: [
                "CArchive", "ToolhostCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/TestSupport",
            exclude: ["smtp_peer.py"]
        ),

        .testTarget(name: "ToolhostCoreTests", dependencies: ["ToolhostCore"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Storage", "ArchiveSupport", "BuiltinTools", "TestSupport"]),
        .testTarget(
            name: "BuiltinToolsTests",
            dependencies: [
                "BuiltinTools", "ToolhostCore", "Sandbox", "CArchive", "CZlib", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            // The SMTP peer that the email_send tests start with python3 (aiosmtpd).
        ),
        .testTarget(name: "ToolhostCLITests", dependencies: ["ToolhostCLI", "toolhost", "TestSupport"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Host", "Sandbox", "Traces", "Registry", "Storage", "ToolhostCore", "CArchive", "toolhost", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "ToolhostCore"]),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow", "Host", "Registry", "Storage", "ToolhostCore"]),
        .testTarget(name: "TracesTests", dependencies: ["Traces", "Storage", "ToolhostCore"]),
        .testTarget(
            name: "HostTests",
            dependencies: ["Host", "Registry", "Storage", "Sandbox", "BuiltinTools", "Traces", "ToolhostCore", "TestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
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
