// Registry read throughput against a bare Hummingbird hello-world, measured side by side in one run
// with wrk on loopback (the machine is shared, so only ratios within a run mean anything), and the
// median time to publish a 1 MiB package. `make bench` runs it.
import Foundation
import HTTPTypes

let arguments = CommandLine.arguments
if arguments.count == 3, arguments[1] == "hello", let port = Int(arguments[2]) {
    try await HelloWorld.run(port: port)
    exit(0)
}

/// The whole run; a failure is printed and exits 1 instead of trapping at top level.
func benchmark() async throws {
    let environment = ProcessInfo.processInfo.environment
    let seconds = Int(environment["BENCH_SECONDS"] ?? "") ?? 10
    let rounds = Int(environment["BENCH_ROUNDS"] ?? "") ?? 2
    let publishes = Int(environment["BENCH_PUBLISHES"] ?? "") ?? 25
    let wrk = Wrk(threads: 2, connections: 32, seconds: seconds)

    let executable = URL(fileURLWithPath: arguments[0]).resolvingSymlinksInPath()
    let products = executable.deletingLastPathComponent()
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("registry-bench-data-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: data) }

    let hello = try await ServerUnderTest(name: "hello-world", executable: executable, arguments: ["hello", "{port}"], probe: "/hello")
    let registry = try await ServerUnderTest(
        name: "toolhost serve", executable: products.appendingPathComponent("toolhost"),
        arguments: ["serve", "--host", "127.0.0.1", "--port", "{port}", "--data-dir", data.path], probe: "/healthz")
    let key = try String(contentsOf: data.appendingPathComponent("admin.key"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let authorization = "Authorization: Bearer \(key)"

    // Publishing first: it also gives the catalog a community package to read.
    let published = try await PublishTiming.measure(server: registry, key: key, count: publishes)
    let times = published.times
    print(String(format: "publish of a %.2f MiB package (incompressible), %d uploads one after another: median %.1f ms, min %.1f ms, max %.1f ms",
                 Double(published.archiveBytes) / Double(1 << 20), publishes, median(times), times.min() ?? 0, times.max() ?? 0))

    // The ratio that counts is the second line (a built-in tool, the route `/api/v1/tools/{name}`); the
    // others show a published tool with its 25 versions, and what a read costs when no cache can answer.
    let targets: [(label: String, url: String, headers: [String], script: String?)] = [
        ("hello-world GET /hello", "\(hello.url)/hello", [], nil),
        ("toolhost GET /api/v1/tools/hash_digest", "\(registry.url)/api/v1/tools/hash_digest", [authorization], nil),
        ("toolhost GET /api/v1/tools/bench/payload/echo", "\(registry.url)/api/v1/tools/bench/payload/echo", [authorization], nil),
        ("toolhost same, every URI new (no cache hit)", "\(registry.url)/api/v1/tools/hash_digest", [authorization], Wrk.uniqueQueries),
    ]
    for target in targets.dropFirst() where target.script == nil && target.url.hasPrefix(registry.url) {
        let status = try await registry.get(String(target.url.dropFirst(registry.url.count)), headers: [.authorization: "Bearer \(key)"])
        guard status == .ok else { throw BenchmarkError("\(target.label) answered \(status)") }
    }

    print("wrk: \(wrk.threads) threads, \(wrk.connections) connections, \(seconds) s per run, "
        + "\(rounds) interleaved round(s) after a warm-up; loopback")
    for target in targets { _ = try Wrk(threads: 2, connections: 32, seconds: 2).run(target.url, headers: target.headers, script: target.script) }
    var rates = Array(repeating: [Double](), count: targets.count)
    for round in 1...rounds {
        for (index, target) in targets.enumerated() {
            let result = try wrk.run(target.url, headers: target.headers, script: target.script)
            rates[index].append(result.requestsPerSecond)
            let latency = result.latency.split(separator: " ", omittingEmptySubsequences: true).last.map(String.init) ?? "?"
            print("  round \(round)  \(padded(target.label))" + String(format: " %9.0f req/s   p50 latency ", result.requestsPerSecond)
                + latency + (result.errors.map { "   \($0)" } ?? ""))
        }
    }
    let means = rates.map { $0.reduce(0, +) / Double($0.count) }
    let baseline = means[0]
    print(padded(targets[0].label) + String(format: " %9.0f req/s", baseline))
    for index in targets.indices.dropFirst() {
        let ratio = means[index] / baseline
        let verdict = index == 1 ? (ratio >= 0.7 ? "   (target >= 0.70: met)" : "   (target >= 0.70: NOT met)") : ""
        print(padded(targets[index].label) + String(format: " %9.0f req/s   ratio %.2f", means[index], ratio) + verdict)
    }

    // Tool calls: the whole pipeline (auth, resolve, validate, breaker, handler, output check, span).
    let invokeURL = "\(registry.url)/api/v1/tools/hash_digest/invoke"
    try await InvokeTiming.check(server: registry, key: key, path: "/api/v1/tools/hash_digest/invoke", body: InvokeTiming.hashBody,
                                 expecting: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let invokeScript = InvokeTiming.postScript(body: InvokeTiming.hashBody)
    _ = try Wrk(threads: 2, connections: 32, seconds: 2).run(invokeURL, headers: [authorization], script: invokeScript)
    var invokeRates: [Double] = []
    for round in 1...rounds {
        let result = try wrk.run(invokeURL, headers: [authorization], script: invokeScript)
        invokeRates.append(result.requestsPerSecond)
        let latency = result.latency.split(separator: " ", omittingEmptySubsequences: true).last.map(String.init) ?? "?"
        print("  round \(round)  \(padded("toolhost POST /api/v1/tools/hash_digest/invoke"))"
            + String(format: " %9.0f req/s   p50 latency ", result.requestsPerSecond) + latency + (result.errors.map { "   \($0)" } ?? ""))
    }
    let invokeRate = invokeRates.reduce(0, +) / Double(invokeRates.count)
    print(padded("toolhost POST …/hash_digest/invoke") + String(format: " %9.0f req/s   ratio to hello-world %.2f", invokeRate, invokeRate / baseline))

    let pythonRounds = Int(environment["BENCH_PYTHON_ROUNDS"] ?? "") ?? 40
    let python = try await InvokeTiming.pythonRatio(server: registry, key: key, rounds: pythonRounds)
    print(String(format: "python_exec print(1) over HTTP, p50 of %d calls: %.2f ms   bare python3 -c 'print(1)': %.2f ms   ratio %.2f",
                 pythonRounds, python.invoked, python.bare, python.invoked / python.bare))
    hello.stop()
    registry.stop()
}

func padded(_ text: String, to width: Int = 50) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

do {
    try await benchmark()
} catch {
    FileHandle.standardError.write(Data("registry-benchmark: \(error)\n".utf8))
    exit(1)
}
