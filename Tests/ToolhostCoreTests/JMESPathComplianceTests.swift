import Foundation
import Testing
import ToolhostCore

/// Runs the official JMESPath compliance suite (jmespath/jmespath.test) from
/// `../shared/conformance/jmespath-compliance` next to the package root, as it is.
///
/// A case with a `result` must give that value (numbers by value, object keys in any order); a case
/// with an `error` must fail, at compile or search time, with that kind; a `bench` case must compile
/// (`parse`) or compile and search (`full`) without error.
@Suite("JMESPath compliance suite")
struct JMESPathComplianceTests {
    struct Outcome {
        var passed = 0
        var total = 0
        var failures: [String] = []
    }

    @Test("every case of the official JMESPath compliance suite passes")
    func everyCasePasses() throws {
        let directory = try Self.suiteDirectory()
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var total = Outcome()
        for file in files {
            let outcome = try Self.run(file)
            print("JMESPath compliance: \(outcome.passed)/\(outcome.total) passed in \(file.lastPathComponent)")
            total.passed += outcome.passed
            total.total += outcome.total
            total.failures += outcome.failures
        }
        print("JMESPath compliance: \(total.passed)/\(total.total) passed")
        for failure in total.failures { print("  FAILED \(failure)") }
        #expect(total.total >= 908, "the suite seems incomplete: only \(total.total) cases found")
        #expect(total.failures.isEmpty, "\(total.failures.count) cases failed:\n\(total.failures.joined(separator: "\n"))")
    }

    // MARK: Harness

    /// The suite's `tests` folder, found from this file's path: up to the directory holding
    /// Package.swift, then `../shared/conformance/jmespath-compliance/tests`.
    static func suiteDirectory() throws -> URL {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                let suite = directory.deletingLastPathComponent().appendingPathComponent("shared/conformance/jmespath-compliance/tests")
                guard FileManager.default.fileExists(atPath: suite.appendingPathComponent("basic.json").path) else {
                    throw HarnessError(
                        "JMESPath compliance suite not found at \(suite.path); it must sit in shared/conformance next to the repository")
                }
                return suite
            }
            directory = directory.deletingLastPathComponent()
        }
        throw HarnessError("no Package.swift above \(#filePath)")
    }

    static func run(_ file: URL) throws -> Outcome {
        var outcome = Outcome()
        guard case .array(let suites) = try JSONValue(parsing: Data(contentsOf: file)) else {
            throw HarnessError("\(file.lastPathComponent) is not a list of suites")
        }
        for (suiteIndex, suite) in suites.enumerated() {
            let given = suite["given"] ?? .null
            for testCase in suite["cases"]?.arrayValue ?? [] {
                outcome.total += 1
                let expression = testCase["expression"]?.stringValue ?? ""
                let label = "\(file.lastPathComponent) suite \(suiteIndex) \(String(reflecting: expression))"
                if let problem = check(testCase, expression: expression, given: given) {
                    outcome.failures.append("\(label): \(problem)")
                } else {
                    outcome.passed += 1
                }
            }
        }
        return outcome
    }

    /// Nil when the case holds, else what went wrong.
    static func check(_ testCase: JSONValue, expression: String, given: JSONValue) -> String? {
        let actual: Result<JSONValue, JMESPathError>
        do throws(JMESPathError) {
            let compiled = try JMESPathExpression(expression)
            if testCase["bench"]?.stringValue == "parse" { return nil }
            actual = .success(try compiled.search(given))
        } catch {
            actual = .failure(error)
        }
        switch (testCase["error"]?.stringValue, actual) {
        case (let kind?, .failure(let error)):
            return error.kind.rawValue == kind ? nil : "expected a \(kind) error, got \(error)"
        case (let kind?, .success(let value)):
            return "expected a \(kind) error, got \(value)"
        case (nil, .failure(let error)):
            return "failed: \(error)"
        case (nil, .success(let value)):
            if testCase["bench"] != nil { return nil }
            let expected = testCase["result"] ?? .null
            return value == expected ? nil : "expected \(expected), got \(value)"
        }
    }

    struct HarnessError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
