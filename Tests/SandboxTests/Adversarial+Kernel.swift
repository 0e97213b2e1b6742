import Foundation
import Glibc
import Testing

@testable import Sandbox

/// Programs that reach for the kernel's attack surface: namespaces, tracing, mounting, keys, BPF,
/// io_uring, terminals, foreign ABIs. The seccomp allowlist must end each run as `syscall_blocked`
/// naming the call (or, for a foreign ABI, killing it outright).
@Suite("Adversarial programs: the kernel's attack surface", .serialized)
struct AdversarialKernelTests {
    /// Runs `script` (after ``Attack/ctypesPrelude``) and expects it to be stopped at `syscall`.
    func expectBlocked(_ syscall: String, _ script: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await SandboxFixture.hostUnaffected(sourceLocation: sourceLocation) {
            let result = try await SandboxFixture.python(Attack.python(script))
            #expect(result.outcome == .syscallBlocked, "\(SandboxFixture.describe(result))", sourceLocation: sourceLocation)
            #expect(result.syscall == syscall, "\(SandboxFixture.describe(result))", sourceLocation: sourceLocation)
            #expect(result.exitCode == nil, sourceLocation: sourceLocation)
            #expect(!SandboxFixture.text(result.stdout).contains("returned"), "the call returned: \(SandboxFixture.text(result.stdout))",
                    sourceLocation: sourceLocation)
        }
    }

    @Test("an AF_INET socket to the cloud metadata address 169.254.169.254 is blocked at socket")
    func metadataService() async throws {
        try await expectBlocked("socket", """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(2)
            s.connect(("169.254.169.254", 80))
            print("returned: connected")
            """)
    }

    /// A socket family and a type it accepts.
    struct SocketFamily: Sendable, CustomTestStringConvertible {
        var name: String
        var number: Int
        var type: Int
        var testDescription: String { name }
    }

    @Test("sockets of every family but AF_UNIX are blocked without network", arguments: [
        SocketFamily(name: "AF_INET6", number: 10, type: 1), SocketFamily(name: "AF_NETLINK", number: 16, type: 3),
        SocketFamily(name: "AF_PACKET", number: 17, type: 3), SocketFamily(name: "AF_ALG", number: 38, type: 5),
        SocketFamily(name: "AF_VSOCK", number: 40, type: 1),
    ])
    func socketFamilies(family: SocketFamily) async throws {
        try await expectBlocked("socket", """
            fd = libc.socket(\(family.number), \(family.type), 0)
            print("returned", fd, errno.errorcode.get(ctypes.get_errno()))
            """)
    }

    @Test("ptrace of the namespace's init, through libc, is blocked by name")
    func ptrace() async throws {
        try await expectBlocked("ptrace", """
            PTRACE_ATTACH = 16
            r = libc.ptrace(PTRACE_ATTACH, 1, None, None)
            print("returned", r, errno.errorcode.get(ctypes.get_errno()))
            """)
    }

    @Test("mount of a tmpfs is blocked by name")
    func mount() async throws {
        try await expectBlocked("mount", """
            r = libc.mount(b"none", b"/tmp", b"tmpfs", 0, None)
            print("returned", r, errno.errorcode.get(ctypes.get_errno()))
            """)
    }

    @Test("`unshare -r` is blocked at unshare")
    func unshareCommand() async throws {
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.run("sh", ["unshare", "-r", "id"])
            #expect(result.outcome == .syscallBlocked, "\(SandboxFixture.describe(result))")
            #expect(result.syscall == "unshare")
            #expect(!SandboxFixture.text(result.stdout).contains("uid=0"))
        }
    }

    @Test("setns into the sandbox's own network namespace file is blocked by name")
    func setns() async throws {
        // os.setns arrived in Python 3.12; Debian's 3.11 needs libc.
        try await expectBlocked("setns", """
            fd = os.open("/proc/self/ns/net", os.O_RDONLY)
            setns = getattr(os, "setns", None)
            if setns:
                setns(fd, 0)
                print("returned", 0)
            else:
                print("returned", libc.setns(fd, 0), errno.errorcode.get(ctypes.get_errno()))
            """)
    }

    @Test("clone with CLONE_NEWUSER is blocked at clone, while clone3 fails softly with ENOSYS")
    func cloneNamespaces() async throws {
        try await expectBlocked("clone", """
            CLONE_NEWUSER, SIGCHLD = 0x10000000, 17
            print("returned", *raw(56, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0))
            """)
        try await SandboxFixture.hostUnaffected {
            // clone3 passes its flags in memory, where seccomp cannot look: it must never run.
            let result = try await SandboxFixture.python(Attack.python("""
                args = ctypes.create_string_buffer(88)
                ctypes.memmove(args, (0x10000000).to_bytes(8, "little"), 8)
                print(*raw(435, ctypes.addressof(args), 88))
                """))
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            #expect(SandboxFixture.text(result.stdout) == "-1 ENOSYS\n")
        }
    }

    @Test("TIOCSTI is blocked at ioctl, also with high bits set above the 32 the kernel reads", arguments: [
        "0x5412", "0x100005412", "0xffffffff00005412",
    ])
    func tiocsti(request: String) async throws {
        try await expectBlocked("ioctl", """
            libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_char_p]
            r = libc.ioctl(0, \(request), b"x")
            print("returned", r, errno.errorcode.get(ctypes.get_errno()))
            """)
    }

    @Test("ordinary ioctls still work: FIONREAD on a pipe, TCGETS on /dev/null")
    func ordinaryIoctls() async throws {
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.python("""
                import array, fcntl, os, termios
                r, w = os.pipe()
                os.write(w, b"abc")
                pending = array.array("i", [0])
                fcntl.ioctl(r, termios.FIONREAD, pending)
                try:
                    termios.tcgetattr(os.open("/dev/null", os.O_RDONLY))
                    tty = "a terminal"
                except termios.error as e:
                    tty = "ENOTTY" if e.args[0] == 25 else str(e)
                print(pending[0], tty)
                """)
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            #expect(SandboxFixture.text(result.stdout) == "3 ENOTTY\n")
        }
    }

    @Test("io_uring_setup is blocked by name")
    func ioUring() async throws {
        try await expectBlocked("io_uring_setup", """
            params = ctypes.create_string_buffer(120)
            print("returned", *raw(425, 8, ctypes.addressof(params)))
            """)
    }

    @Test("bpf (creating a map) is blocked by name")
    func bpf() async throws {
        try await expectBlocked("bpf", """
            attr = ctypes.create_string_buffer(128)
            ctypes.memmove(attr, (1).to_bytes(4, "little") + (4).to_bytes(4, "little") * 2 + (1).to_bytes(4, "little"), 16)
            print("returned", *raw(321, 0, ctypes.addressof(attr), 128))
            """)
    }

    @Test("keyctl (reading the session keyring) is blocked by name")
    func keyctl() async throws {
        try await expectBlocked("keyctl", """
            KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING = 0, -3
            print("returned", *raw(250, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0))
            """)
    }

    @Test("personality may be queried, but READ_IMPLIES_EXEC or ADDR_NO_RANDOMIZE are blocked", arguments: [0x040_0000, 0x004_0000])
    func personality(persona: Int) async throws {
        try await SandboxFixture.hostUnaffected {
            // The query as glibc's prototype passes it: an unsigned long 0xffffffff.
            let query = try await SandboxFixture.python(Attack.python("""
                libc.personality.argtypes = [ctypes.c_ulong]
                print(libc.personality(0xffffffff))
                """))
            #expect(query.outcome == .ok, "\(SandboxFixture.describe(query))")
        }
        try await expectBlocked("personality", """
            libc.personality.argtypes = [ctypes.c_ulong]
            print("returned", libc.personality(\(persona)))
            """)
    }

    @Test("/dev holds no disks or memory, and mknod of a block device is blocked")
    func devices() async throws {
        try await SandboxFixture.hostUnaffected {
            let listing = try await SandboxFixture.python("import os, json; print(json.dumps(sorted(os.listdir('/dev'))))")
            #expect(listing.outcome == .ok, "\(SandboxFixture.describe(listing))")
            let names = try JSONSerialization.jsonObject(with: listing.stdout) as? [String] ?? []
            #expect(Set(names) == ["fd", "null", "random", "shm", "stderr", "stdin", "stdout", "urandom", "zero"], "\(names)")
            for device in ["sda", "vda", "mem", "kmem", "port", "kvm", "fuse", "net"] {
                #expect(!names.contains(device))
            }
            let mknod = try await SandboxFixture.run("sh", ["mknod", "/tmp/sda", "b", "8", "0"])
            #expect(mknod.outcome == .syscallBlocked, "\(SandboxFixture.describe(mknod))")
            #expect(["mknod", "mknodat"].contains(mknod.syscall ?? ""), "\(SandboxFixture.describe(mknod))")
        }
    }

    @Test("a 32-bit `int 0x80` system call from machine code is killed as a foreign ABI")
    func int80() async throws {
        try await SandboxFixture.hostUnaffected {
            // mov eax, 20 (i386 getpid); int 0x80; ret: runs fine outside the sandbox on this kernel.
            let result = try await SandboxFixture.python("""
                import ctypes, mmap
                code = bytes([0xb8, 0x14, 0, 0, 0, 0xcd, 0x80, 0xc3])
                page = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
                page.write(code)
                address = ctypes.addressof(ctypes.c_char.from_buffer(page))
                print("returned", ctypes.CFUNCTYPE(ctypes.c_int)(address)(), flush=True)
                """)
            #expect(result.outcome == .syscallBlocked, "\(SandboxFixture.describe(result))")
            #expect(result.signal == Int(SIGSYS))
            #expect(result.detail?.contains("foreign") == true, "\(SandboxFixture.describe(result))")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("an x32 system call (bit 30 set) is killed as a foreign ABI")
    func x32() async throws {
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.python(Attack.python("print('returned', *raw(0x40000000 | 39), flush=True)"))
            #expect(result.outcome == .syscallBlocked, "\(SandboxFixture.describe(result))")
            #expect(result.signal == Int(SIGSYS))
            #expect(result.detail?.contains("foreign") == true, "\(SandboxFixture.describe(result))")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("the program runs without capabilities, with no_new_privs, under a seccomp filter, as uid 1000")
    func credentials() async throws {
        try await SandboxFixture.hostUnaffected {
            let result = try await SandboxFixture.python("""
                import json
                fields = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
                print(json.dumps({k: " ".join(fields[k].split()) for k in
                    ["Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"]}))
                """)
            #expect(result.outcome == .ok, "\(SandboxFixture.describe(result))")
            let status = try Attack.report(result)
            #expect(status["Uid"] as? String == "1000 1000 1000 1000")
            #expect(status["Gid"] as? String == "1000 1000 1000 1000")
            #expect(status["Groups"] as? String == "")
            for capability in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
                #expect(status[capability] as? String == "0000000000000000", "\(capability): \(status[capability] ?? "missing")")
            }
            #expect(status["NoNewPrivs"] as? String == "1")
            #expect(status["Seccomp"] as? String == "2")
        }
    }

    /// Every system call the policy says no profile may allow, plus others outside the allowlist that
    /// reach across process or kernel boundaries. Numbers are x86_64's (checked against libseccomp below).
    static let blockedCalls: [RawSyscall] = [
        .init(name: "mount", number: 165), .init(name: "umount2", number: 166), .init(name: "pivot_root", number: 155),
        .init(name: "chroot", number: 161), .init(name: "open_tree", number: 428), .init(name: "move_mount", number: 429),
        .init(name: "fsopen", number: 430), .init(name: "fsconfig", number: 431), .init(name: "fsmount", number: 432),
        .init(name: "fspick", number: 433), .init(name: "mount_setattr", number: 442), .init(name: "unshare", number: 272),
        .init(name: "setns", number: 308), .init(name: "ptrace", number: 101), .init(name: "process_vm_readv", number: 310),
        .init(name: "process_vm_writev", number: 311), .init(name: "bpf", number: 321), .init(name: "perf_event_open", number: 298),
        .init(name: "keyctl", number: 250), .init(name: "add_key", number: 248), .init(name: "request_key", number: 249),
        .init(name: "io_uring_setup", number: 425), .init(name: "io_uring_enter", number: 426), .init(name: "io_uring_register", number: 427),
        .init(name: "userfaultfd", number: 323), .init(name: "kexec_load", number: 246), .init(name: "kexec_file_load", number: 320),
        .init(name: "init_module", number: 175), .init(name: "finit_module", number: 313), .init(name: "delete_module", number: 176),
        .init(name: "shmget", number: 29), .init(name: "shmat", number: 30), .init(name: "shmdt", number: 67), .init(name: "shmctl", number: 31),
        .init(name: "msgget", number: 68), .init(name: "msgsnd", number: 69), .init(name: "msgrcv", number: 70), .init(name: "msgctl", number: 71),
        .init(name: "semget", number: 64), .init(name: "semop", number: 65), .init(name: "semctl", number: 66),
        .init(name: "semtimedop", number: 220),
        .init(name: "clock_settime", number: 227), .init(name: "clock_adjtime", number: 305), .init(name: "settimeofday", number: 164),
        .init(name: "adjtimex", number: 159), .init(name: "mknod", number: 133), .init(name: "mknodat", number: 259),
        .init(name: "seccomp", number: 317), .init(name: "reboot", number: 169), .init(name: "swapon", number: 167),
        .init(name: "swapoff", number: 168), .init(name: "acct", number: 163), .init(name: "quotactl", number: 179),
        .init(name: "name_to_handle_at", number: 303), .init(name: "open_by_handle_at", number: 304), .init(name: "iopl", number: 172),
        .init(name: "ioperm", number: 173), .init(name: "syslog", number: 103), .init(name: "setuid", number: 105),
        .init(name: "setgid", number: 106), .init(name: "setreuid", number: 113), .init(name: "setregid", number: 114),
        .init(name: "setresuid", number: 117), .init(name: "setresgid", number: 119), .init(name: "setgroups", number: 116),
        .init(name: "capset", number: 126),
        // Not in the never-allowed list, but outside the allowlist and worth a case each.
        .init(name: "pidfd_getfd", number: 438), .init(name: "modify_ldt", number: 154), .init(name: "vmsplice", number: 278),
        .init(name: "fanotify_init", number: 300), .init(name: "kcmp", number: 312), .init(name: "sethostname", number: 170),
        .init(name: "vhangup", number: 153), .init(name: "move_pages", number: 279), .init(name: "process_madvise", number: 440),
        .init(name: "setfsuid", number: 122), .init(name: "memfd_secret", number: 447),
    ]

    @Test("the table of system calls below uses the numbers libseccomp knows, and covers every never-allowed call")
    func tableMatchesLibseccomp() {
        for call in Self.blockedCalls {
            #expect(SeccompFilter.name(ofSyscall: Int32(call.number), architecture: Attack.x86_64) == call.name, "\(call.name)")
        }
        #expect(SeccompProfile.neverAllowed.subtracting(Self.blockedCalls.map(\.name)).isEmpty)
    }

    @Test(
        "a system call outside the allowlist, made directly, ends the run as syscall_blocked with its name",
        arguments: AdversarialKernelTests.blockedCalls)
    func blockedByName(call: RawSyscall) async throws {
        try await expectBlocked(call.name, "print('returned', *raw(\(call.number), 0, 0, 0, 0, 0, 0), flush=True)")
    }
}
