/// Names of Linux signals by number (x86_64 and arm64 agree on these), for the `signal` output.
enum SignalNames {
    private static let standard = [
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
        "SIGSYS",
    ]
    /// The first real-time signal a program can use; glibc keeps 32 and 33 for itself.
    private static let realTimeMinimum = 34

    /// `SIGKILL` for 9, `SIGRTMIN+2` for 36, `SIG33` for a number without a name.
    static func name(of signal: Int) -> String {
        if standard.indices.contains(signal - 1) { return standard[signal - 1] }
        if signal >= realTimeMinimum { return "SIGRTMIN+\(signal - realTimeMinimum)" }
        return "SIG\(signal)"
    }
}
