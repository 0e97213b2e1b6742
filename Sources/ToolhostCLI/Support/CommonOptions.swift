import ArgumentParser
import Foundation

/// Where the embedded store lives: `--data-dir`, else `$TOOLHOST_DATA`, else `./.toolhost`.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data directory (default: $TOOLHOST_DATA or ./.toolhost).")
    var dataDirectory: String?

    /// The resolved data directory.
    var url: URL {
        let path = dataDirectory ?? ProcessInfo.processInfo.environment["TOOLHOST_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? ".toolhost"
        return URL(fileURLWithPath: path)
    }
}

/// How a command prints: human text by default, one JSON document with `--json`.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON document for scripts instead of human text.")
    var json = false
}

/// A command whose output mode decides how its errors are printed.
protocol OutputtingCommand {
    var output: OutputOptions { get }
}
