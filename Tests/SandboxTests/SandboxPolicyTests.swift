import Foundation
import Testing
import ToolhostCore

@testable import Sandbox

@Suite("Sandbox policy as data")
struct SandboxPolicyTests {
    static var policyDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sandbox")
    }

    @Test("the policy loads with a profile for every runtime, and none allows a never-allowed syscall")
    func profilesLoad() throws {
        let policy = try SandboxPolicy.load(from: Self.policyDirectory)
        #expect(Set(policy.profiles.keys).isSuperset(of: ["python3", "sh", "node", "exec"]))
        for profile in policy.profiles.values {
            #expect(profile.extends == nil, "\(profile.name) was not flattened")
            #expect(Set(profile.allow).isDisjoint(with: SeccompProfile.neverAllowed), "\(profile.name)")
            #expect(profile.allow.contains("execve"))
            #expect(!profile.allow.contains("socket"), "socket must only be allowed through its argument rule")
        }
        #expect(policy.maximum(for: .readOnly).memoryBytes <= policy.maximum(for: .executeSafe).memoryBytes)
    }

    @Test("every profile compiles to BPF for both network modes")
    func profilesCompile() throws {
        let policy = try SandboxPolicy.load(from: Self.policyDirectory)
        for profile in policy.profiles.values {
            for network in SandboxRequest.Network.allCases {
                let filter = try SeccompFilter.compile(profile, network: network)
                #expect(filter.instructionCount > 50, "\(profile.name)/\(network)")
            }
        }
    }

    @Test("a profile that allows ptrace is refused, naming the file and the syscall")
    func neverAllowedIsRefused() throws {
        let directory = try Self.copyOfPolicy()
        defer { try? FileManager.default.removeItem(at: directory) }
        try #"{"name": "sh", "extends": "base", "allow": ["ptrace"]}"#.write(
            to: directory.appendingPathComponent("profiles/sh.json"), atomically: true, encoding: .utf8)
        do {
            _ = try SandboxPolicy.load(from: directory)
            Issue.record("a profile allowing ptrace was loaded")
        } catch {
            #expect(error.message.contains("sh.json"))
            #expect(error.message.contains("\"ptrace\""))
        }
    }

    @Test("an unknown syscall or constant in a profile is an error that names it")
    func unknownNamesAreErrors() throws {
        let base = try SandboxPolicy.load(from: Self.policyDirectory).profiles["exec"]!
        var unknownSyscall = base
        unknownSyscall.allow.append("no_such_syscall")
        #expect(throws: ToolhostError.self) { try SeccompFilter.compile(unknownSyscall, network: .none) }
        var unknownConstant = base
        let condition = try JSONDecoder().decode(SeccompProfile.Condition.self, from: Data(#"{"arg": 0, "op": "eq", "value": "AF_BOGUS"}"#.utf8))
        unknownConstant.rules = [SeccompProfile.Rule(syscall: "socket", network: nil, when: [condition])]
        do {
            _ = try SeccompFilter.compile(unknownConstant, network: .none)
            Issue.record("an unknown constant compiled")
        } catch {
            #expect(error.message.contains("AF_BOGUS"))
        }
    }

    static func copyOfPolicy() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("toolhost-policy-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: policyDirectory, to: directory)
        return directory
    }
}

@Suite("Classifying how a run ended")
struct OutcomeClassifierTests {
    let limits = SandboxPolicy.fallbackDefaults

    func classify(_ lines: [String], killed: KillReason? = nil, events: CgroupLimitEvents = .init(), cpuMs: Double = 1) -> OutcomeClassifier.Verdict {
        var status = StatusReport()
        for line in lines { status.apply(line: Substring(line)) }
        return OutcomeClassifier.classify(status: status, killed: killed, events: events, limits: limits, cpuMs: cpuMs)
    }

    @Test("the program's own exit decides when nothing else happened")
    func plainExits() {
        #expect(classify(["exit 0"]).outcome == .ok)
        #expect(classify(["exit 3"]).outcome == .exitNonzero)
        #expect(classify(["signal 11 core"]).outcome == .killedSignal)
    }

    @Test("causes outrank their effects: setup failure, blocked syscall, then limits, then the exit")
    func causesFirst() {
        #expect(classify(["setup_failed pivot_root 1", "exit 0"]).outcome == .setupFailed)
        #expect(classify(["setup_failed pivot_root 1"]).detail?.hasPrefix("pivot_root: ") == true)
        #expect(classify(["blocked 101 0xc000003e"]).outcome == .syscallBlocked)
        #expect(classify(["signal 9"], killed: .output).outcome == .outputLimit)
        #expect(classify(["signal 9"], events: .init(oomKills: 1)).outcome == .memoryLimit)
        #expect(classify(["signal 24"]).outcome == .cpuTimeLimit)
        #expect(classify([], killed: .cpuTime).outcome == .cpuTimeLimit)
        #expect(classify(["signal 25"]).outcome == .fileSizeLimit)
        #expect(classify([], killed: .wallTime, events: .init(pidsLimitHits: 3)).outcome == .pidsLimit)
        #expect(classify([], killed: .wallTime).outcome == .wallTimeLimit)
        #expect(classify(["signal 31"]).outcome == .syscallBlocked)
        #expect(classify([]).outcome == .setupFailed)
    }

    @Test("a stage with a target keeps it, and the errno is the last word")
    func stageWithTarget() {
        let verdict = classify(["setup_failed bind /work 2"])
        #expect(verdict.detail?.hasPrefix("bind /work: No such file or directory (errno 2)") == true)
    }
}
