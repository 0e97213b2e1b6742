import Foundation
import Glibc
import Sandbox
import Testing
import ToolhostCore

/// Issue 9, point 5: one run wrote 2.4 GB in 2.3 s, another 50,000 files, on the filesystem that
/// holds the catalog. A workdir with a quota stops both, with the outcome `workspace_quota`.
@Suite("Workspace quotas hold for sandboxed runs")
struct WorkspaceQuotaTests {
    static let quota = WorkspaceQuota(bytes: 1 << 20, entries: 200)

    static func run(_ script: String, in workdir: URL, wallTimeMs: Int? = nil) async throws -> SandboxResult {
        try await SandboxFixture.run("sh", ["sh", "-c", script]) {
            $0.workdir = workdir
            $0.workdirQuota = quota
            if let wallTimeMs {
                $0.limits.wallTimeMs = wallTimeMs
                $0.limits.cpuTimeMs = wallTimeMs
            }
        }
    }

    static func fileSize(_ url: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
    }

    @Test("one file written past the bytes left stops there: workspace_quota, and the file holds exactly what was left")
    func oneLargeFile() async throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workdir) }
        try Data(count: 300_000).write(to: workdir.appendingPathComponent("existing"))
        let result = try await Self.run("exec head -c 4194304 /dev/zero > /work/big", in: workdir)
        #expect(result.outcome == .workspaceQuota, "\(SandboxFixture.describe(result))")
        #expect(result.detail?.contains("\((1 << 20) - 300_000) bytes left") == true, "\(result.detail ?? "")")
        #expect(Self.fileSize(workdir.appendingPathComponent("big")) == (1 << 20) - 300_000)
    }

    @Test("a program that ignores SIGXFSZ (Python does) gets EFBIG, and the run still ends as workspace_quota")
    func pythonIgnoresTheSignal() async throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workdir) }
        let result = try await SandboxFixture.python("open('/work/big', 'wb').write(b'x' * 3_000_000)") {
            $0.workdir = workdir
            $0.workdirQuota = Self.quota
        }
        #expect(result.outcome == .workspaceQuota, "\(SandboxFixture.describe(result))")
        #expect(SandboxFixture.text(result.stderr).contains("File too large"))
        #expect(Self.fileSize(workdir.appendingPathComponent("big")) ?? 0 <= 1 << 20)
    }

    @Test("many files, each under the bytes left but together over them, end as workspace_quota")
    func manySmallFiles() async throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workdir) }
        let result = try await Self.run("for i in $(seq 1 40); do head -c 100000 /dev/zero > /work/f$i; done", in: workdir)
        #expect(result.outcome == .workspaceQuota, "\(SandboxFixture.describe(result))")
        #expect(result.detail?.contains("over its quota of \(1 << 20) bytes") == true, "\(result.detail ?? "")")
    }

    @Test("creating files past the entry quota is stopped while the run goes on, long before it would end")
    func tooManyEntries() async throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workdir) }
        // 50,000 files, then a long sleep: only a check while the run is alive can end it early.
        let result = try await Self.run("i=0; while [ $i -lt 50000 ]; do : > /work/e$i; i=$((i+1)); done; sleep 20", in: workdir, wallTimeMs: 40_000)
        #expect(result.outcome == .workspaceQuota, "\(SandboxFixture.describe(result))")
        #expect(result.detail?.contains("files and directories, over its quota of 200") == true, "\(result.detail ?? "")")
        #expect(result.usage.wallMs < 15_000)
        let left = try FileManager.default.contentsOfDirectory(atPath: workdir.path).count
        #expect(left < 50_000)
    }

    @Test("a workdir already over its quota can be cleaned up and read; only adding to it fails")
    func overQuotaWorkdir() async throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workdir) }
        try Data(count: 2 << 20).write(to: workdir.appendingPathComponent("old"))
        try Data(count: 10).write(to: workdir.appendingPathComponent("keep"))
        let listing = try await Self.run("ls /work", in: workdir)
        #expect(listing.outcome == .ok, "\(SandboxFixture.describe(listing))")
        let adding = try await Self.run("echo more > /work/new", in: workdir)
        #expect(adding.outcome == .workspaceQuota, "\(SandboxFixture.describe(adding))")
        let cleaning = try await Self.run("rm /work/old /work/new; echo again > /work/new", in: workdir)
        #expect(cleaning.outcome == .ok, "\(SandboxFixture.describe(cleaning))")
        #expect(FileManager.default.fileExists(atPath: workdir.appendingPathComponent("keep").path))
    }

    @Test("a run within its quota is untouched: ok, and its files stay")
    func withinQuota() async throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workdir) }
        let result = try await Self.run("head -c 500000 /dev/zero > /work/half; mkdir /work/d; echo x > /work/d/y", in: workdir)
        #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
        #expect(Self.fileSize(workdir.appendingPathComponent("half")) == 500_000)
    }

    @Test("measuring counts each hard-linked file once, a link by its target's length, and never follows a link")
    func measuring() throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        let outside = try SandboxFixture.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: workdir)
            try? FileManager.default.removeItem(at: outside)
        }
        try Data(count: 1000).write(to: workdir.appendingPathComponent("a"))
        try FileManager.default.linkItem(at: workdir.appendingPathComponent("a"), to: workdir.appendingPathComponent("b"))
        try FileManager.default.createDirectory(at: workdir.appendingPathComponent("sub"), withIntermediateDirectories: false)
        try Data(count: 24).write(to: workdir.appendingPathComponent("sub/c"))
        try Data(count: 5_000_000).write(to: outside.appendingPathComponent("big"))
        try FileManager.default.createSymbolicLink(atPath: workdir.appendingPathComponent("out").path, withDestinationPath: outside.path)
        let usage = WorkspaceUsage.measure(path: workdir.path)
        #expect(usage.bytes == 1000 + 24 + outside.path.utf8.count)
        #expect(usage.entries == 5)
        #expect(usage.unmeasurable == nil)
    }

    @Test("a tree nested deeper than the walk goes counts as over any quota, so nothing hides below it")
    func tooDeep() throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workdir) }
        var directory = workdir
        for _ in 0...WorkspaceUsage.maximumDepth {
            directory = directory.appendingPathComponent("d")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        }
        let usage = WorkspaceUsage.measure(path: workdir.path)
        #expect(usage.unmeasurable?.contains("deeper than \(WorkspaceUsage.maximumDepth) directories") == true)
        #expect(WorkspaceQuota.standard.violation(by: usage)?.contains("cannot be measured") == true)
    }
}
