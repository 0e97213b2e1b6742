import Foundation
import Glibc
import Testing

@testable import Sandbox

/// Programs that try to see or change the host: its files, devices, processes, environment, sockets,
/// and the supervisor's own status pipe. The sandbox's root is a fresh tmpfs with read-only binds, a
/// private /proc, and the workdir as the only writable host path.
@Suite("Adversarial programs: escaping to the host", .serialized)
struct AdversarialEscapeTests {
    @Test("writing into /usr fails with EROFS, and the host's /usr is untouched")
    func writeUsr() async throws {
        let marker = Attack.markerName()
        let python = "/usr/bin/python3.11"
        let before = try #require(Attack.hostStat(python))
        try await SandboxFixture.hostUnaffected {
            // chmod to the mode it already has: harmless on the host should it ever get through.
            let result = try await SandboxFixture.python("""
                import errno, os, sys
                for name, attempt in [("chmod", lambda: os.chmod("\(python)", os.stat("\(python)").st_mode & 0o7777)),
                                      ("mkdir", lambda: os.mkdir("/usr/lib/\(marker)"))]:
                    try:
                        attempt()
                        print(name, "succeeded", file=sys.stderr)
                    except OSError as e:
                        print(name, errno.errorcode[e.errno], file=sys.stderr)
                open("/usr/\(marker)", "w").write("escaped")
                """)
            #expect(result.outcome == .exitNonzero, "\(SandboxFixture.describe(result))")
            #expect(result.exitCode == 1)
            let stderr = SandboxFixture.text(result.stderr)
            #expect(stderr.hasPrefix("chmod EROFS\nmkdir EROFS\n"), "\(stderr)")
            #expect(stderr.contains("OSError: [Errno 30] Read-only file system: '/usr/\(marker)'"), "\(stderr)")
        }
        #expect(Attack.hostStat("/usr/\(marker)") == nil)
        #expect(Attack.hostStat("/usr/lib/\(marker)") == nil)
        let after = try #require(Attack.hostStat(python))
        #expect(after.st_mode == before.st_mode)
        #expect(after.st_ctim.tv_sec == before.st_ctim.tv_sec && after.st_ctim.tv_nsec == before.st_ctim.tv_nsec)
    }

    @Test("global sysctls under /proc/sys (core_pattern, overcommit_ratio) cannot be written")
    func procSys() async throws {
        let paths = ["/proc/sys/kernel/core_pattern", "/proc/sys/vm/overcommit_ratio"]
        let before = try paths.map { try String(contentsOfFile: $0, encoding: .utf8) }
        try await SandboxFixture.hostUnaffected {
            // Each is written back with the value it has: harmless should it ever get through.
            let result = try await SandboxFixture.python("""
                import errno, json
                results = {}
                for path in \(paths):
                    value = open(path).read()
                    try:
                        with open(path, "w") as f:
                            f.write(value)
                        results[path] = "written"
                    except OSError as e:
                        results[path] = errno.errorcode[e.errno]
                print(json.dumps(results))
                """)
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            let report = try Attack.report(result)
            for path in paths {
                #expect(report[path] as? String == "EROFS", "\(path): \(report[path] ?? "missing")")
            }
        }
        #expect(try paths.map { try String(contentsOfFile: $0, encoding: .utf8) } == before)
    }

    @Test("/dev/null cannot be chmod-ed (it is the host's device, bound read-only)")
    func devNull() async throws {
        let before = try #require(Attack.hostStat("/dev/null"))
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.python("""
                import errno, os
                try:
                    os.chmod("/dev/null", 0o666)
                    print("chmod succeeded")
                except OSError as e:
                    print(errno.errorcode[e.errno])
                open("/dev/null", "w").write("writing to it still works")
                """)
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            #expect(SandboxFixture.text(result.stdout) == "EROFS\n")
        }
        let after = try #require(Attack.hostStat("/dev/null"))
        #expect(after.st_mode == before.st_mode && after.st_mode & S_IFMT == S_IFCHR)
        #expect(after.st_ctim.tv_sec == before.st_ctim.tv_sec && after.st_ctim.tv_nsec == before.st_ctim.tv_nsec)
    }

    @Test("the host's /etc/shadow is not there, by any path; /etc holds only the sandbox's files")
    func shadow() async throws {
        try await SandboxFixture.hostUnaffected {
            let cat = try await SandboxFixture.run("sh", ["cat", "/etc/shadow"])
            #expect(cat.outcome == .exitNonzero, "\(SandboxFixture.describe(cat))")
            #expect(cat.exitCode == 1)
            #expect(SandboxFixture.text(cat.stderr) == "cat: /etc/shadow: No such file or directory\n")
            #expect(cat.stdout.isEmpty)

            let result = try await SandboxFixture.python("""
                import errno, json, os
                results = {}
                for path in ["/etc/shadow", "/proc/1/root/etc/shadow", "/proc/self/root/etc/shadow", "/proc/1/cwd/../etc/shadow",
                             "/work/../etc/shadow", "/etc/../../../etc/shadow"]:
                    try:
                        results[path] = "read %d bytes" % len(open(path, "rb").read())
                    except OSError as e:
                        results[path] = errno.errorcode[e.errno]
                results["/etc"] = sorted(os.listdir("/etc"))
                print(json.dumps(results))
                """)
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            let report = try Attack.report(result)
            for (path, outcome) in report where path != "/etc" {
                #expect(["ENOENT", "EACCES"].contains(outcome as? String ?? ""), "\(path): \(outcome)")
            }
            let etc = Set(report["/etc"] as? [String] ?? [])
            #expect(etc.isSubset(of: ["passwd", "group", "alternatives", "ld.so.cache", "localtime"]), "\(etc.sorted())")
            #expect(etc.isSuperset(of: ["passwd", "group"]))
        }
    }

    @Test("the root holds the policy's layout and nothing else of the host's")
    func rootLayout() async throws {
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.python("import os, json; print(json.dumps(sorted(os.listdir('/'))))")
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            let names = try JSONSerialization.jsonObject(with: result.stdout) as? [String] ?? []
            #expect(names == ["bin", "dev", "etc", "lib", "lib64", "proc", "sbin", "tmp", "usr", "work"])
        }
    }

    @Test("no attempt to create a file outside the workdir reaches the host")
    func markers() async throws {
        let marker = Attack.markerName()
        let workdir = try SandboxFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workdir) }
        // Where the program may write (its own workdir, /tmp and /dev/shm), and where it may not.
        let allowed = ["/work/\(marker)", "/tmp/\(marker)", "/dev/shm/\(marker)"]
        let refused = [
            "/\(marker)", "/work/../\(marker)", "/proc/1/root/\(marker)", "/proc/self/cwd/../\(marker)", "/proc/1/cwd/../\(marker)",
            "/etc/\(marker)", "/usr/\(marker)", "/dev/\(marker)", "/proc/\(marker)", "/sys/\(marker)", "/var/tmp/\(marker)",
            "/root/\(marker)", "/proc/1/root/tmp/../\(marker)",
        ]
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.python("""
                import errno, json
                results = {}
                for path in \(allowed + refused):
                    try:
                        with open(path, "w") as f:
                            f.write("escaped")
                        results[path] = "written"
                    except OSError as e:
                        results[path] = errno.errorcode[e.errno]
                print(json.dumps(results))
                """) { $0.workdir = workdir }
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            let report = try Attack.report(result)
            for path in allowed {
                #expect(report[path] as? String == "written", "\(path): \(report[path] ?? "missing")")
            }
            for path in refused {
                #expect(["EROFS", "ENOENT", "EACCES"].contains(report[path] as? String ?? ""), "\(path): \(report[path] ?? "missing")")
            }
        }
        let host = FileManager.default.temporaryDirectory.path
        for path in ["/\(marker)", "\(host)/\(marker)", "/tmp/\(marker)", "/var/tmp/\(marker)", "/dev/shm/\(marker)", "/etc/\(marker)",
                     "/usr/\(marker)", "/root/\(marker)", workdir.deletingLastPathComponent().appendingPathComponent(marker).path] {
            #expect(Attack.hostStat(path) == nil, "\(path) was created on the host")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: workdir.path) == [marker])
    }

    @Test("a symlink in the workdir to a host file is listed but never followed, and the host file is untouched")
    func symlinkCollection() async throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        let outside = try SandboxFixture.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: workdir)
            try? FileManager.default.removeItem(at: outside)
        }
        let secret = outside.appendingPathComponent("secret.txt")
        try Data("host secret\n".utf8).write(to: secret)
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.run("sh", ["sh", "-c", """
                ln -s \(secret.path) link
                ln -s \(outside.path) dirlink
                ln -s ../../../../../../../../etc/passwd relative
                ln -s /proc/1/root/etc/passwd magic
                echo pwned > link 2>/dev/null
                echo ok
                """]) {
                $0.workdir = workdir
                $0.collectFiles = true
            }
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            let files = try #require(result.files)
            #expect(files.map(\.path) == ["dirlink", "link", "magic", "relative"], "\(files)")
            #expect(files.allSatisfy { $0.isSymlink })
            for path in ["link", "dirlink/secret.txt", "relative", "magic", "dirlink"] {
                #expect(WorkdirFiles.read(path, in: workdir.path, maximumBytes: 1 << 20) == nil, "\(path) was followed")
            }
            #expect(Attack.hostStat(workdir.appendingPathComponent("link").path).map { $0.st_mode & S_IFMT } == S_IFLNK)
        }
        #expect(try String(contentsOf: secret, encoding: .utf8) == "host secret\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["secret.txt"])
    }

    @Test("a workdir flooded with files and deep directories is collected up to the caps, quickly")
    func collectionFlood() async throws {
        let workdir = try SandboxFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: workdir) }
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.python("""
                import os
                for i in range(10100):
                    open("f%05d" % i, "w").close()
                path = "deep"
                for i in range(60):
                    path += "/d"
                os.makedirs(path)
                open(path + "/bottom", "w").close()
                """) {
                $0.workdir = workdir
                $0.collectFiles = true
                $0.limits.wallTimeMs = 30_000
                $0.limits.cpuTimeMs = 20_000
            }
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            let files = try #require(result.files)
            #expect(files.count <= WorkdirFiles.maximumEntries)
            #expect(!files.contains { $0.path.hasSuffix("/bottom") }, "collection went deeper than \(WorkdirFiles.maximumDepth) levels")
        }
    }

    @Test("`kill -9 -1` inside reaches nothing on the host: a canary process outside survives, and host pids are not there")
    func killEverything() async throws {
        let canary = try HostCommand.start("/bin/sleep", ["600"])
        var reaped = false
        defer {
            // Never signal a pid once reaped: the number may already be another process's.
            if !reaped {
                kill(canary, SIGKILL)
                HostCommand.reap(canary)
            }
        }
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.run("sh", ["sh", "-c", "kill -9 -1; kill -9 \(canary) 2>&1; echo survived"])
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            #expect(SandboxFixture.text(result.stdout).hasSuffix("survived\n"), "\(SandboxFixture.text(result.stdout))")
            #expect(SandboxFixture.text(result.stdout).contains("No such process"))
        }
        #expect(kill(canary, 0) == 0)
        let state = try String(contentsOfFile: "/proc/\(canary)/stat", encoding: .utf8).split(separator: ")").last?.split(separator: " ").first
        #expect(state == "S", "canary state \(state ?? "?")")
        kill(canary, SIGKILL)
        let status = HostCommand.reap(canary)
        reaped = true
        #expect(status & 0x7f == SIGKILL, "the canary died of something else: wait status \(status)")
    }

    @Test("printenv shows the policy's environment and nothing of the host's secrets")
    func environment() async throws {
        let secret = "toolhost-adversarial-\(UUID().uuidString)"
        setenv("TOOLHOST_ADVERSARIAL_SECRET", secret, 1)
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.run("sh", ["printenv"]) { $0.environment["REQUESTED"] = "yes" }
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            let output = SandboxFixture.text(result.stdout)
            #expect(!output.contains(secret))
            #expect(!output.contains("/root"))
            let names = Set(output.split(separator: "\n").map { line in String(line.prefix { $0 != "=" }) })
            #expect(names == Set(SandboxFixture.shared.policy.environment.keys).union(["REQUESTED"]), "\(names.sorted())")
        }
    }

    @Test("/proc is the sandbox's: its pid 1 is the sandbox's init, and host processes are invisible")
    func procView() async throws {
        let secret = "toolhost-adversarial-\(UUID().uuidString)"
        setenv("TOOLHOST_ADVERSARIAL_PROC_SECRET", secret, 1)
        let hostInit = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/1/cmdline"))) ?? Data()
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.python("""
                import errno, json, os
                def read(path):
                    try:
                        return open(path, "rb").read().hex()
                    except OSError as e:
                        return errno.errorcode[e.errno]
                print(json.dumps({"pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()), "self": os.getpid(),
                                  "parent": os.getppid(), "cmdline": read("/proc/1/cmdline"), "environ": read("/proc/1/environ")}))
                """)
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            let report = try Attack.report(result)
            let pids = report["pids"] as? [Int] ?? []
            #expect(pids.count <= 3 && (pids.max() ?? 99) < 10, "pids visible inside: \(pids)")
            #expect(pids.contains(1))
            #expect(report["parent"] as? Int == 1)
            #expect((report["self"] as? Int ?? 99) < 10)
            let cmdline = Data(hexString: report["cmdline"] as? String ?? "")
            #expect(cmdline != hostInit)
            #expect(String(decoding: cmdline ?? Data(), as: UTF8.self).contains("toolhost-sandbox"), "\(report["cmdline"] ?? "")")
            if let environ = Data(hexString: report["environ"] as? String ?? "") {
                let text = String(decoding: environ, as: UTF8.self)
                #expect(!text.contains(secret) && !text.contains("HOME=/root"), "init's environment: \(text)")
            }
        }
    }

    @Test("the program gets only stdin, stdout and stderr: no descriptor of the supervisor or launcher")
    func inheritedDescriptors() async throws {
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.python("""
                import os
                found = []
                for fd in range(3, 1024):
                    try:
                        os.fstat(fd)
                        found.append(fd)
                    except OSError:
                        pass
                print(found)
                """)
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            #expect(SandboxFixture.text(result.stdout) == "[]\n")
        }
    }

    @Test("a program cannot forge its outcome by writing `exit 0` to the status pipe")
    func forgedStatus() async throws {
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.python("""
                import os, sys
                forged = []
                paths = [f"/proc/self/fd/{n}" for n in range(3, 64)] + [f"/proc/1/fd/{n}" for n in range(0, 64)]
                for fd in range(3, 64):
                    try:
                        os.write(fd, b"exit 0\\n")
                        forged.append(fd)
                    except OSError:
                        pass
                for path in paths:
                    try:
                        fd = os.open(path, os.O_WRONLY)
                        os.write(fd, b"exit 0\\n")
                        forged.append(path)
                    except OSError:
                        pass
                print(forged, file=sys.stderr)
                sys.exit(3)
                """)
            #expect(result.outcome == .exitNonzero, "\(SandboxFixture.describe(result))")
            #expect(result.exitCode == 3)
            #expect(SandboxFixture.text(result.stderr) == "[]\n")
        }
    }

    @Test("an abstract unix socket listening on the host cannot be reached from inside")
    func abstractSocket() async throws {
        let name = "toolhost-adversarial-\(UUID().uuidString)"
        try await SandboxFixture.hostUnaffected {
            let listener = try AbstractListener(name: name)
            defer { listener.close() }
            let result = try await SandboxFixture.python("""
                import errno, socket
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    s.connect("\\0\(name)")
                    print("connected")
                except OSError as e:
                    print(errno.errorcode[e.errno])
                """)
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            #expect(SandboxFixture.text(result.stdout) == "ECONNREFUSED\n")
            #expect(!listener.hasPendingConnection())
        }
    }
}

/// A listening abstract-namespace unix socket on the host (abstract names belong to a network
/// namespace, so the sandbox's private one must not see it).
struct AbstractListener {
    let descriptor: Int32

    init(name: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            path[0] = 0
            for (index, byte) in bytes.enumerated() { path[index + 1] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + 1 + bytes.count)
        let socketDescriptor = descriptor
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) } }
        guard bound == 0, listen(descriptor, 8) == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    func hasPendingConnection() -> Bool {
        let accepted = accept(descriptor, nil, nil)
        guard accepted >= 0 else { return false }
        Glibc.close(accepted)
        return true
    }

    func close() { Glibc.close(descriptor) }
}

extension Data {
    /// Bytes from lowercase hex (as Python's `bytes.hex()` writes them); nil for anything else.
    init?(hexString: String) {
        guard hexString.count % 2 == 0, hexString.allSatisfy(\.isHexDigit) else { return nil }
        var bytes: [UInt8] = []
        var index = hexString.startIndex
        while index < hexString.endIndex {
            let next = hexString.index(index, offsetBy: 2)
            guard let byte = UInt8(hexString[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
