#include "init.h"

#include "mounts.h"
#include "program.h"
#include "shared.h"
#include "status.h"
#include "sys.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

/* Waits for the launcher to write our id maps. Without them we could not create files, and
 * the program process could not switch to the inside ids. */
static void wait_for_release(int sock)
{
    char byte;
    long n;
    do
        n = sys_read(sock, &byte, 1);
    while (n == -EINTR);
    if (n != 1)
        sys_exit(127); /* the launcher is gone, or failed and reported it */
    flag_set(&shared->released, FLAG_OK);
}

/* Whether the launcher's end of SOCK is closed (it died); never blocks. */
static int launcher_gone(int sock)
{
    char byte;
    long n = SC4(SYS_recvfrom, sock, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0;
}

/* Reaps everything (orphans are reparented to us; __WALL also catches clone() children with no
 * exit signal) until the program process itself ends, reports it and exits. Signals sent from
 * inside the namespace cannot reach us: we are its init and install no handlers. */
static _Noreturn void reap_until(pid_t program)
{
    for (;;) {
        int st;
        pid_t w = sys_wait4(-1, &st, __WALL);
        if (w == program) {
            /* Loses (silently) if the program process already reported a setup failure or the
             * launcher reported a blocked syscall. */
            status_wait_result(st);
            sys_exit(status_claimed() == OUTCOME_SETUP_FAILED ? 127 : 0);
        }
        if (w < 0 && w != -EINTR)
            status_fail("fork", -w); /* ECHILD: cannot happen while the program lives */
    }
}

_Noreturn void init_run(struct options *o, int sock, int peer)
{
    const char *stage;
    int r, pidfd = -1;

    /* If the launcher dies from here on, so do we. Our getppid() is 0 (the launcher is outside
     * our pid namespace), so the race is closed differently: with every copy of its socket end
     * closed here, its death shows as EOF in wait_for_release. */
    if ((r = sys_prctl(PR_SET_PDEATHSIG, SIGKILL, 0)) < 0)
        status_fail("sync", -r);
    sys_close(peer);

    /* Fork first, even before the id maps exist, so that the program process creates the
     * network namespace while the launcher writes the maps and we build the filesystem
     * (shared.h). pivot_root below moves its root along with ours. */
    pid_t program = sys_clone(SIGCHLD | CLONE_PIDFD, &pidfd);
    if (program < 0)
        status_fail("fork", -program);
    if (program == 0)
        program_run(o, sock);
    /* Only the program uses the standard streams (see main.c): end-of-output then means the
     * program and whatever it started are done, not that the namespace is gone. */
    for (int fd = 0; fd <= 2; fd++)
        sys_close(fd);

    wait_for_release(sock);

    /* Resolve the bind sources with the launcher's host ids, before giving them up (mounts.h). */
    if ((r = mounts_capture(o, &stage)))
        status_fail(stage, r);

    /* Become the inside ids. Until now we run as the launcher's host uid, which has no mapping in
     * our namespace when the sandbox is mapped to another host id (a root supervisor maps it to an
     * unprivileged one), and every file we create would fail with EOVERFLOW. Inside uid 0 is not
     * mapped, so this switch does not clear the capabilities we hold in the namespace. */
    if ((r = sys_setresgid(o->gid)) < 0 || (r = sys_setresuid(o->uid)) < 0)
        status_fail("setid", -r);
    /* Changing ids clears the parent-death signal (commit_creds), so arm it again, then make
     * sure the launcher did not die in between: its end of the socket stays open for as long as
     * it lives, so a zero-byte peek means it is gone and nobody would ever signal us. */
    if ((r = sys_prctl(PR_SET_PDEATHSIG, SIGKILL, 0)) < 0)
        status_fail("sync", -r);
    if (launcher_gone(sock))
        sys_exit(127);

    /* Modes given to mkdir/open below are meant literally. */
    sys_umask(0);
    if ((r = mounts_build(o, &stage)))
        status_fail(stage, r);
    if ((r = sys_sethostname(o->hostname, strlen(o->hostname))) < 0)
        status_fail("hostname", -r);
    if ((r = mounts_enter(&stage)))
        status_fail(stage, r);

    /* Join the program's network namespace: staying in the host's would show the host's
     * interfaces and sockets to the program through /proc/1/net. If creating it failed, the
     * program process reports that and exits; reap it. */
    if (!o->net_host) {
        if (flag_wait(&shared->net_ready, program) != FLAG_OK)
            reap_until(program);
        if ((r = (int)SC2(SYS_setns, pidfd, CLONE_NEWNET)) == -ESRCH)
            reap_until(program); /* it died meanwhile (killed, or reported a failure) */
        if (r < 0)
            status_fail("clone", -r);
    }
    flag_set(&shared->fs_ready, FLAG_OK);
    reap_until(program);
}
