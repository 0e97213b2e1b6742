/*
 * toolhost-sandbox: the child side of Toolhost's sandbox.
 *
 *   toolhost-sandbox [OPTIONS] -- PROGRAM [ARGS...]
 *
 * Three processes per run:
 *   launcher (this one, in the host namespaces): parses options, joins the cgroups, clones the
 *     namespace init, writes its uid/gid maps, then waits for it and watches the seccomp
 *     listener;
 *   namespace init (pid 1 inside): forks the program process, builds the root filesystem,
 *     reaps, reports `exit`/`signal` and exits, which kills everything left inside;
 *   program process (pid 2): creates the network namespace (while the init builds the
 *     filesystem), drops ids, limits, fds, capabilities, waits for the new root, installs
 *     seccomp, execs.
 * The supervisor reads exactly one outcome line from --status-fd (see status.h).
 */
#include "init.h"
#include "options.h"
#include "resources.h"
#include "shared.h"
#include "status.h"
#include "supervise.h"
#include "sys.h"
#include "userns.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>

/* Reports a failure that happened in the launcher before clone. */
static int failed(const char *stage, int err)
{
    status_setup_failed(stage, err);
    return 127;
}

/* A decimal number for the --prewarm options. */
static bool parse_number(const char *s, unsigned long long *out)
{
    unsigned long long v = 0;
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 0x7fffffff)
            return false;
        v = v * 10 + (unsigned long long)(*s - '0');
    }
    *out = v;
    return v <= 0x7fffffff;
}

/* TOOLHOST_SANDBOX_DEBUG=1 in the launcher's own environment adds `# ...` status lines. */
static bool debugging(char **envp)
{
    for (; *envp; envp++)
        if (strncmp(*envp, "TOOLHOST_SANDBOX_DEBUG=", 23) == 0)
            return (*envp)[23] != '\0' && (*envp)[23] != '0';
    return false;
}

/* Ignored signals and the blocked mask survive fork and exec, and the supervisor may have either
 * (a runtime ignoring SIGPIPE, say). Everything below starts from the defaults: the program gets
 * the kernel's default actions (SIGXFSZ and SIGXCPU enforce limits), and SIGCHLD must not be
 * ignored or children would be reaped behind our back. Real-time signals are left alone. */
static void reset_signals(void)
{
    struct kernel_sigaction dfl = { .handler = SIG_DFL, .flags = 0, .restorer = NULL, .mask = 0 };
    for (int sig = 1; sig < 32; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            sys_sigaction(sig, &dfl);
    sys_sigsetmask(0);
}

/* One run's launch, from its full command line (main's, or the one a prewarmed launcher received). */
static int launch(int argc, char **argv)
{
    struct options o;
    const char *why = "", *stage;
    int err, r;

    if (options_parse(&o, argc, argv, &why) < 0) {
        say(why);
        if (o.status_fd >= 0) {
            status_set_fd(o.status_fd);
            status_setup_failed("args", EINVAL);
        }
        return 127;
    }
    status_set_fd(o.status_fd);
    reset_signals();
    /* The program must not inherit the status fd; the namespace init and the program process
     * keep it until exec. */
    if (sys_fcntl(o.status_fd, F_SETFD, FD_CLOEXEC) < 0) {
        say("--status-fd is not an open file descriptor");
        return 127;
    }
    if (o.die_with_parent) {
        pid_t parent = sys_getppid();
        if ((r = sys_prctl(PR_SET_PDEATHSIG, SIGKILL, 0)) < 0)
            return failed("args", -r);
        if (sys_getppid() != parent)
            return 127; /* the parent died before PDEATHSIG was armed: nobody is listening */
    }
    if ((err = cgroups_join(&o)))
        return failed("cgroup", err);

    /* One socketpair serves twice: the release byte to the init (whose EOF also tells the init
     * that we died), then the seccomp listener from the program process. */
    int sv[2];
    if ((r = sys_socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, sv)) < 0)
        return failed("socketpair", -r);
    if ((err = shared_map()))
        return failed("clone", err);

    /* No CLONE_NEWNET here: the program process creates the network namespace, in parallel
     * with the init's filesystem work (shared.h). */
    unsigned long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS |
                          CLONE_NEWCGROUP | CLONE_PIDFD | SIGCHLD;
    int pidfd = -1;
    pid_t init = sys_clone(flags, &pidfd);
    if (init < 0)
        return failed("clone", -init);
    if (init == 0)
        init_run(&o, sv[1], sv[0]);
    sys_close(sv[1]);
    /* The standard streams belong to the program. Our copies would hold its output pipes open
     * until we exit, and the supervisor could not tell that the program is done before the
     * namespaces are torn down (which it leaves to run after it has answered). */
    for (int fd = 0; fd <= 2; fd++)
        sys_close(fd);

    if ((err = userns_write_maps(init, &o, &stage))) {
        status_setup_failed(stage, err);
        supervise_abort(init);
        return 127;
    }
    long w = sys_write(sv[0], "", 1);
    if (w != 1) {
        status_setup_failed("sync", w < 0 ? (int)-w : EIO);
        supervise_abort(init);
        return 127;
    }
    return supervise(init, pidfd, sv[0], o.seccomp_fd >= 0, debugging(argv + argc + 1));
}

/*
 * Prewarmed mode, for long-lived supervisors (the server):
 *
 *   toolhost-sandbox --prewarm --status-fd 3 --request-fd 5 [--die-with-parent] --cgroup DIR...
 *
 * joins the run's cgroups ahead of time — on cgroup v1 each join waits for an RCU grace period,
 * about 0.4 ms here, which is most of what a run costs besides the namespaces — and then waits on
 * the request socket for the run itself: one message holding the rest of the command line as
 * NUL-terminated words (everything but --cgroup), with the seccomp program's descriptor attached,
 * which lands at fd 4. End-of-file instead means the launcher is not needed: it exits.
 */
static char request_words[256 * 1024];
static char *request_argv[8192];

static int prewarm(int argc, char **argv)
{
    static const char *cgroups[16];
    struct options o;
    int request_fd = -1, status_fd = -1, r, err;
    bool die_with_parent = false;

    memset(&o, 0, sizeof o);
    o.cgroups = cgroups;
    for (int i = 2; i < argc; i++) {
        unsigned long long v = 0;
        if (strcmp(argv[i], "--status-fd") == 0 && i + 1 < argc && parse_number(argv[i + 1], &v))
            status_fd = (int)v, i++;
        else if (strcmp(argv[i], "--request-fd") == 0 && i + 1 < argc && parse_number(argv[i + 1], &v))
            request_fd = (int)v, i++;
        else if (strcmp(argv[i], "--die-with-parent") == 0)
            die_with_parent = true;
        else if (strcmp(argv[i], "--cgroup") == 0 && i + 1 < argc && o.ncgroups < 16)
            cgroups[o.ncgroups++] = argv[++i];
        else {
            say("--prewarm takes --status-fd N, --request-fd N, --die-with-parent and up to 16 --cgroup DIR");
            return 127;
        }
    }
    if (status_fd < 0 || request_fd < 0 || request_fd == 4) {
        say("--prewarm needs --status-fd and --request-fd (not 4, where the seccomp program goes)");
        return 127;
    }
    status_set_fd(status_fd);
    reset_signals();
    if (die_with_parent) {
        pid_t parent = sys_getppid();
        if ((r = sys_prctl(PR_SET_PDEATHSIG, SIGKILL, 0)) < 0)
            return failed("args", -r);
        if (sys_getppid() != parent)
            return 127;
    }
    if ((err = cgroups_join(&o)))
        return failed("cgroup", err);

    struct iovec iov = { .iov_base = request_words, .iov_len = sizeof request_words - 1 };
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    long n;
    do
        n = sys_recvmsg(request_fd, &msg, 0);
    while (n == -EINTR);
    if (n == 0)
        return 0; /* released unused */
    if (n < 0)
        return failed("request", (int)-n);
    sys_close(request_fd);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if ((msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
        c->cmsg_len != CMSG_LEN(sizeof(int)))
        return failed("request", EINVAL);
    int seccomp_fd;
    memcpy(&seccomp_fd, CMSG_DATA(c), sizeof seccomp_fd);
    if (seccomp_fd != 4) {
        if ((r = (int)SC3(SYS_dup3, seccomp_fd, 4, 0)) < 0)
            return failed("request", -r);
        sys_close(seccomp_fd);
    }

    /* The words become argv; the environment stays ours (it follows argv's NULL, as at start-up). */
    int count = 0;
    request_argv[count++] = argv[0];
    request_words[n] = '\0';
    for (long at = 0; at < n; at += (long)strlen(request_words + at) + 1) {
        if (count >= (int)(sizeof request_argv / sizeof *request_argv) - 2)
            return failed("request", E2BIG);
        request_argv[count++] = request_words + at;
    }
    request_argv[count] = NULL;
    char **envp = argv + argc + 1;
    int words = count;
    for (count++; *envp && count < (int)(sizeof request_argv / sizeof *request_argv) - 1; envp++)
        request_argv[count++] = *envp;
    request_argv[count] = NULL;
    return launch(words, request_argv);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--prewarm") == 0)
        return prewarm(argc, argv);
    return launch(argc, argv);
}
