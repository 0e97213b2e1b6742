#include "shared.h"

#include "sys.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

struct shared_page *shared;

int shared_map(void)
{
    void *p = sys_mmap(sizeof(struct shared_page), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS);
    if (sys_mmap_failed(p))
        return -(int)(long)p;
    shared = p;
    return 0;
}

/* Shared (not FUTEX_PRIVATE) futexes: the waiters are in other processes. */
void flag_set(int *flag, enum flag_value value)
{
    __atomic_store_n(flag, (int)value, __ATOMIC_RELEASE);
    SC3(SYS_futex, flag, FUTEX_WAKE, INT_MAX);
}

enum flag_value flag_wait(int *flag, pid_t setter)
{
    /* The setter normally answers within a millisecond; the timeout only bounds how long a
     * setter that died first (OOM killer, cgroup.kill) goes unnoticed. */
    struct timespec tick = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };
    int v;
    while ((v = __atomic_load_n(flag, __ATOMIC_ACQUIRE)) == FLAG_UNSET) {
        /* Returns at once if *flag is no longer UNSET. */
        long r = SC4(SYS_futex, flag, FUTEX_WAIT, FLAG_UNSET, setter > 0 ? &tick : NULL);
        if (r == -ETIMEDOUT) {
            /* WNOWAIT: leave the child's status for the reaper to report. */
            siginfo_t si;
            si.si_pid = 0;
            if (SC5(SYS_waitid, P_PID, setter, &si, WEXITED | WNOHANG | WNOWAIT | __WALL, NULL) == 0 && si.si_pid == setter)
                return FLAG_FAILED;
        }
    }
    return (enum flag_value)v;
}
