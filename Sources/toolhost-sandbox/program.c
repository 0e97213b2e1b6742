#include "program.h"

#include "caps.h"
#include "landlock.h"
#include "resources.h"
#include "rt.h"
#include "seccomp_load.h"
#include "shared.h"
#include "status.h"
#include "sys.h"

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>

_Noreturn void program_run(const struct options *o, int sock)
{
    const char *stage;
    int r;

    /* The slow part of this process's set-up, overlapped with the init's filesystem work.
     * net_ready is set either way, so that the init never waits for a process that is gone. */
    if (!o->net_host) {
        r = (int)SC1(SYS_unshare, CLONE_NEWNET);
        flag_set(&shared->net_ready, r < 0 ? FLAG_FAILED : FLAG_OK);
        if (r < 0)
            status_fail("clone", -r);
    }
    /* If the init dies instead (the launcher failed or vanished), so do we. */
    flag_wait(&shared->released, 0);
    /* Redundant while the namespace init lives (its death kills the pid namespace), but cheap,
     * and it keeps the program from outliving a half-torn-down init. */
    if ((r = sys_prctl(PR_SET_PDEATHSIG, SIGKILL, 0)) < 0)
        status_fail("fork", -r);
    /* A new session: no controlling terminal to steal (TIOCSTI) or to be signalled through. */
    if ((r = sys_setsid()) < 0)
        status_fail("setsid", -r);
    /* Wait until the init has entered the new root and joined our network namespace before
     * changing ids: when a root supervisor maps the sandbox to an unprivileged host id, the
     * change makes this process non-dumpable, and the init could then no longer join the
     * namespace through our pidfd (a ptrace-mode check in the host's user namespace). If the
     * init dies instead, so do we. */
    flag_wait(&shared->fs_ready, 0);
    /* Groups are already empty (setgroups is denied in this user namespace). gid first: after
     * setresuid we might no longer be allowed to change it. */
    if ((r = sys_setresgid(o->gid)) < 0 || (r = sys_setresuid(o->uid)) < 0)
        status_fail("setid", -r);
    sys_umask(022);
    if ((r = rlimits_apply(o)))
        status_fail("rlimit", r);
    /* Only 0, 1 and 2 reach the program. CLOEXEC rather than close: the status fd (for a
     * failing exec) and the notify socket are still needed until exec. */
    if ((r = sys_close_range(3, ~0U, CLOSE_RANGE_CLOEXEC)) < 0)
        status_fail("close_fds", -r);
    if ((r = caps_drop_all()))
        status_fail("capabilities", r);
    if ((r = sys_prctl(PR_SET_NO_NEW_PRIVS, 1, 0)) < 0)
        status_fail("no_new_privs", -r);

    /* Our root already is the new one (pivot_root moved it), our cwd is still the launcher's:
     * always chdir, with the program's own credentials. */
    if ((r = sys_chdir(o->chdir)) < 0)
        status_fail("chdir", -r);

    /* Inside the new root, so the paths are the program's own; before the filter, which does
     * not allow the landlock calls. Fail closed: without Landlock the restriction cannot hold. */
    if (o->nexec_only > 0 && (r = exec_restrict(o->exec_only, o->nexec_only)))
        status_fail("landlock", -r);

    if (o->seccomp_fd >= 0 && (r = seccomp_install(o->seccomp_fd, sock, &stage)))
        status_fail(stage, r);

    /* After the filter, only these system calls: execve (once per PATH entry, and /bin/sh for
     * a script without #!), then write + exit_group if nothing could be executed. */
    r = rt_execvpe(o->argv[0], o->argv, (char *const *)o->envp);
    status_fail("exec", -r);
}
