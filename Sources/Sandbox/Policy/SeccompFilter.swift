import CSandboxSupport
import CSeccomp
import Foundation
import Glibc
import ToolhostCore

/// A profile compiled to a BPF program, kept in a sealed memory file that every launch reads from.
///
/// Compiling with libseccomp costs far more than a launch, so it happens once per profile and
/// network mode; the launcher reads the program with `pread` and never moves the file offset.
public final class SeccompFilter: Sendable {
    /// The memory file holding the raw `struct sock_filter` array (close-on-exec; dup'ed into launchers).
    public let descriptor: Int32
    public let instructionCount: Int

    init(descriptor: Int32, instructionCount: Int) {
        self.descriptor = descriptor
        self.instructionCount = instructionCount
    }

    deinit { close(descriptor) }

    // The actions, as <seccomp.h> defines them (its function-like macros do not reach Swift).
    static let actionNotify: UInt32 = 0x7fc0_0000
    static let actionAllow: UInt32 = 0x7fff_0000
    static let actionKillProcess: UInt32 = 0x8000_0000
    static func actionErrno(_ code: Int32) -> UInt32 { 0x0005_0000 | (UInt32(code) & 0xffff) }

    /// Compiles `profile`: listed syscalls allowed, rules allowed when their arguments match, errno
    /// entries answered with that errno, everything else handed to the supervisor (and so blocked,
    /// by name). Foreign ABIs (i386, x32) are killed outright.
    /// - Throws: ``ToolhostError`` `invalid_input` naming the unknown syscall, constant or operator.
    /// Rules marked `processes` are left out when `processes` is false: threads only.
    public static func compile(
        _ profile: SeccompProfile, network: SandboxRequest.Network, processes: Bool = true
    ) throws(ToolhostError) -> SeccompFilter {
        guard let context = seccomp_init(actionNotify) else {
            throw ToolhostError(.internalError, "seccomp_init failed: the kernel or libseccomp lacks user notification")
        }
        defer { seccomp_release(context) }
        try check(seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, actionKillProcess), "set the foreign-ABI action")
        // A binary tree of syscall numbers instead of a linear list: a 200-syscall allowlist then
        // costs a handful of comparisons per call, and loading it takes a third of the time.
        try check(seccomp_attr_set(context, SCMP_FLTATR_CTL_OPTIMIZE, 2), "select the binary-tree layout")
        for name in profile.allow {
            try check(seccomp_rule_add_array(context, actionAllow, try number(of: name, in: profile), 0, nil), "allow \(name)")
        }
        for (name, errnoName) in (profile.errno ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let code = SeccompConstants.errno[errnoName] else {
                throw ToolhostError(.invalidInput, "seccomp profile \(profile.name): errno.\(name): unknown errno \"\(errnoName)\"")
            }
            try check(seccomp_rule_add_array(context, actionErrno(code), try number(of: name, in: profile), 0, nil), "errno rule for \(name)")
        }
        for rule in profile.rules ?? [] where (rule.network != true || network == .host) && (rule.processes != true || processes) {
            try add(rule, to: context, profile: profile)
        }
        return try export(context)
    }

    private static func add(_ rule: SeccompProfile.Rule, to context: scmp_filter_ctx, profile: SeccompProfile) throws(ToolhostError) {
        let syscall = try number(of: rule.syscall, in: profile)
        // A rule is a conjunction of conditions; `masked_ne` is a disjunction of its own (see
        // below), so the rule becomes one allow rule per alternative, each with every other condition.
        var common: [scmp_arg_cmp] = []
        var alternatives: [scmp_arg_cmp] = []
        for condition in rule.when {
            let value = try SeccompConstants.value(condition.value, profile: profile.name, syscall: rule.syscall)
            let argument = UInt32(condition.arg)
            switch condition.op {
            case "eq": common.append(scmp_arg_cmp(arg: argument, op: SCMP_CMP_EQ, datum_a: value, datum_b: 0))
            case "ne": common.append(scmp_arg_cmp(arg: argument, op: SCMP_CMP_NE, datum_a: value, datum_b: 0))
            case "masked_eq":
                let mask = try SeccompConstants.value(condition.mask ?? "", profile: profile.name, syscall: rule.syscall)
                common.append(scmp_arg_cmp(arg: argument, op: SCMP_CMP_MASKED_EQ, datum_a: mask, datum_b: value))
            case "masked_ne":
                guard alternatives.isEmpty else {
                    throw ToolhostError(.invalidInput, "seccomp profile \(profile.name): rule for \(rule.syscall): at most one masked_ne condition")
                }
                // libseccomp has neither a masked "not equal" nor two comparisons of one argument in a
                // rule, and a plain 64-bit "!=" can be bypassed where the kernel truncates the argument
                // (ioctl's request is an unsigned int: 0x1_0000_5412 acts as TIOCSTI). So: "differs in
                // at least one masked bit", one rule per bit, each a single masked comparison.
                let mask = try SeccompConstants.value(condition.mask ?? "", profile: profile.name, syscall: rule.syscall)
                for bit in 0..<64 where mask & (1 << UInt64(bit)) != 0 {
                    let flag: UInt64 = 1 << UInt64(bit)
                    alternatives.append(scmp_arg_cmp(arg: argument, op: SCMP_CMP_MASKED_EQ, datum_a: flag, datum_b: ~value & flag))
                }
            default:
                throw ToolhostError(.invalidInput, "seccomp profile \(profile.name): rule for \(rule.syscall): unknown op \"\(condition.op)\", expected eq, ne, masked_eq or masked_ne")
            }
        }
        for alternative in alternatives.isEmpty ? [nil] : alternatives.map(Optional.some) {
            var conditions = common + (alternative.map { [$0] } ?? [])
            try check(seccomp_rule_add_array(context, actionAllow, syscall, UInt32(conditions.count), &conditions), "add the rule for \(rule.syscall)")
        }
    }

    private static func number(of name: String, in profile: SeccompProfile) throws(ToolhostError) -> Int32 {
        let number = seccomp_syscall_resolve_name(name)
        guard number != __NR_SCMP_ERROR else {
            throw ToolhostError(.invalidInput, "seccomp profile \(profile.name): unknown system call \"\(name)\"")
        }
        return number
    }

    private static func export(_ context: scmp_filter_ctx) throws(ToolhostError) -> SeccompFilter {
        let descriptor = toolhost_memfd_create("toolhost-seccomp")
        guard descriptor >= 0 else {
            throw ToolhostError(.internalError, "memfd_create failed: \(String(cString: strerror(errno)))")
        }
        let result = seccomp_export_bpf(context, descriptor)
        guard result == 0 else {
            close(descriptor)
            throw ToolhostError(.internalError, "seccomp_export_bpf failed: \(String(cString: strerror(-result)))")
        }
        let size = lseek(descriptor, 0, SEEK_END)
        // Sealed, so no launcher (or anything else holding the fd) can change the program.
        _ = toolhost_seal_readonly(descriptor)
        return SeccompFilter(descriptor: descriptor, instructionCount: Int(size) / 8)
    }

    private static func check(_ result: Int32, _ what: String) throws(ToolhostError) {
        guard result == 0 else {
            throw ToolhostError(.internalError, "libseccomp could not \(what): \(String(cString: strerror(-result)))")
        }
    }

    /// The name of syscall `number` on the architecture the kernel reported (`0xc000003e` is x86_64).
    public static func name(ofSyscall number: Int32, architecture: UInt32) -> String {
        guard let name = seccomp_syscall_resolve_num_arch(architecture, number) else { return "syscall \(number)" }
        defer { free(name) }
        return String(cString: name)
    }
}
