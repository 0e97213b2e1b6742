import Foundation

/// Runs `wrk` (Debian's package) against one URL and reads its throughput.
struct Wrk {
    var threads = 2
    var connections = 32
    var seconds = 10

    struct Result {
        var requestsPerSecond: Double
        var requests: Int
        var errors: String?
        var latency: String
    }

    /// A wrk script that makes every request's URI unique (`?uncached=<thread>-<n>`), so that no
    /// response cache can answer it: the cost of a read that reaches the database.
    static let uniqueQueries = """
        local threads = 0
        function setup(thread)
            thread:set("id", threads)
            threads = threads + 1
        end
        local counter = 0
        function request()
            counter = counter + 1
            return wrk.format(nil, wrk.path .. "?uncached=" .. id .. "-" .. counter)
        end
        """

    /// - Throws: when wrk is missing, fails, or saw responses other than 2xx/3xx or socket errors.
    func run(_ url: String, headers: [String] = [], script: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            throw BenchmarkError("wrk is not installed: apt-get install wrk (make bench does it)")
        }
        var scriptArguments: [String] = []
        if let script {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("wrk-\(UUID().uuidString).lua")
            try Data(script.utf8).write(to: file)
            scriptArguments = ["-s", file.path]
        }
        defer { if let path = scriptArguments.last { try? FileManager.default.removeItem(atPath: path) } }
        process.arguments = ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--latency"] + scriptArguments
            + headers.flatMap { ["-H", $0] } + [url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("wrk failed: \(output)") }
        if let bad = output.range(of: #"Non-2xx or 3xx responses: \d+"#, options: .regularExpression) {
            throw BenchmarkError("wrk saw failed requests (\(output[bad])):\n\(output)")
        }
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
            let rate = Double(line.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces))
        else { throw BenchmarkError("cannot read wrk's output:\n\(output)") }
        let requests = output.firstMatch(of: /(\d+) requests in/).flatMap { Int($0.1) } ?? 0
        let errors = output.split(separator: "\n").first { $0.contains("Socket errors") }.map(String.init)
        let latency = output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("50%") }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "?"
        return Result(requestsPerSecond: rate, requests: requests, errors: errors, latency: latency)
    }
}
