/// How much may travel on a command line, which carries the source (when inline), the arguments and
/// the environment twice: to the sandbox's launcher and from it to the interpreter.
enum CommandLineBudget {
    /// Linux refuses a single argument or variable of more than MAX_ARG_STRLEN (32 pages, 128 KiB)
    /// bytes, its terminating NUL included.
    static let singleArgumentBytes = 128 << 10

    /// What `execve` takes in all is a quarter of the stack limit: 2 MiB with the usual 8 MiB. Half of
    /// that is left to the caller, so that the launcher's own options always fit beside it.
    static let totalBytes = 1 << 20
}
