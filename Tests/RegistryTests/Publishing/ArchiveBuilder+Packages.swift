import Foundation
import TestSupport
import ToolhostCore

extension ArchiveBuilder {
    /// A small valid manifest, as bytes; `name` is the package name.
    static func manifestText(name: String = "acme/word-count") -> String {
        let manifest: JSONValue = [
            "name": .string(name), "version": "1.0.0", "description": "Counts words.", "license": "MIT", "authors": ["Ada"],
            "runtime": ["type": "python3", "entrypoint": "main.py"], "tools": [SampleManifest.tool()],
        ]
        return manifest.serialized(pretty: true)
    }

    /// A tar.gz that starts as a good package and then gets `extra`.
    static func package(_ format: Format = .tarGzip, _ extra: (ArchiveBuilder) throws -> Void = { _ in }) throws -> Data {
        let builder = try ArchiveBuilder(format)
        try builder.file("toolhost.json", manifestText())
        try builder.file("main.py", "print('hi')\n", mode: 0o755)
        try extra(builder)
        return try builder.finish()
    }
}
