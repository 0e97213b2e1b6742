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

int main(int argc, char **argv)
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
