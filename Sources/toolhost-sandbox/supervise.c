#include "supervise.h"

#include "rt.h"
#include "seccomp_load.h"
#include "status.h"
#include "sys.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

/* For the SIGTERM/SIGINT handler only; set once before the handler is installed. */
static pid_t init_pid;

/* SIGTERM (or ^C) on the launcher tears the sandbox down and still waits for it, unlike
 * SIGKILL, after which the namespace dies asynchronously (through the init's PDEATHSIG). */
static void on_terminate(int sig)
{
    (void)sig;
    sys_kill(init_pid, SIGKILL);
}

/* Installed after clone, so the init never inherits a handler: as pid 1 it must ignore every
 * signal sent from inside the namespace, which holds only while it has none. */
static void install_handlers(void)
{
    struct kernel_sigaction sa = { .handler = on_terminate, .flags = KERNEL_SA_RESTORER, .restorer = rt_sigreturn, .mask = 0 };
    sys_sigaction(SIGTERM, &sa);
    sys_sigaction(SIGINT, &sa);
}

static int reap(pid_t init)
{
    int st = 0;
    pid_t r;
    while ((r = sys_wait4(init, &st, __WALL)) < 0)
        if (r != -EINTR)
            return 127;
    if (WIFEXITED(st))
        return WEXITSTATUS(st) == 0 ? 0 : 127;
    /* Killed: by us after a blocked syscall (already reported), or from outside (OOM killer,
     * cgroup.kill, our SIGTERM handler) before anything was reported. Then report the signal,
     * so that every run yields exactly one outcome line. */
    status_wait_result(st);
    return status_claimed() == OUTCOME_SETUP_FAILED ? 127 : 0;
}

void supervise_abort(pid_t init)
{
    sys_kill(init, SIGKILL);
    reap(init);
}

/* "# blocked nr=N pid=P args=A,B,C,D,E,F" for whoever writes the seccomp profiles. */
static void describe(const struct seccomp_notif *req)
{
    char line[256], *p = fmt_str(line, "# blocked nr=");
    p = fmt_uint(p, (unsigned)req->data.nr);
    p = fmt_uint(fmt_str(p, " pid="), req->pid);
    p = fmt_str(p, " args=");
    for (int i = 0; i < 6; i++) {
        if (i)
            *p++ = ',';
        p = fmt_hex(p, req->data.args[i]);
    }
    *p++ = '\n';
    status_comment(line, (size_t)(p - line));
}

int supervise(pid_t init, int pidfd, int sock, bool with_seccomp, bool debug)
{
    init_pid = init;
    install_handlers();
    if (!with_seccomp)
        return reap(init);

    enum { INIT, SOCK, LISTENER };
    struct pollfd fds[3] = {
        [INIT] = { .fd = pidfd, .events = POLLIN, .revents = 0 },
        [SOCK] = { .fd = sock, .events = POLLIN, .revents = 0 },
        [LISTENER] = { .fd = -1, .events = POLLIN, .revents = 0 },
    };
    while (!(fds[INIT].revents & (POLLIN | POLLHUP | POLLERR))) {
        int n = sys_poll(fds, 3, -1);
        if (n < 0) {
            if (n == -EINTR)
                continue;
            break;
        }
        if (fds[SOCK].revents) {
            /* One message: the listener, or EOF if the program process failed before sending it. */
            fds[LISTENER].fd = seccomp_receive_listener(sock);
            fds[SOCK].fd = -1;
        }
        if (fds[LISTENER].revents & POLLIN) {
            struct seccomp_notif req;
            int err;
            if ((err = seccomp_take_notification(fds[LISTENER].fd, &req)) == 0) {
                /* Never answered: the caller dies with the whole namespace. */
                if (debug)
                    describe(&req);
                status_blocked(req.data.nr, req.data.arch);
                sys_kill(init, SIGKILL);
                fds[LISTENER].fd = -1;
            } else if (err != ENOENT && err != EINTR) {
                fds[LISTENER].fd = -1;
            }
        } else if (fds[LISTENER].revents) {
            fds[LISTENER].fd = -1; /* POLLHUP: every filtered task is gone */
        }
    }
    return reap(init);
}
