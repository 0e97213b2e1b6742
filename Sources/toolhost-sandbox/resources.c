#include "resources.h"

#include "status.h"

#include "sys.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

/* Joining happens in the launcher before clone, so the namespace init and everything the program
 * starts are charged to (and killable through) these cgroups, and the new cgroup namespace is
 * rooted at them. Works the same for v1 controllers and the v2 hierarchy: both take a pid in
 * cgroup.procs and move the whole thread group.
 * Cost: unless the host runs cgroups with favordynmods, the first migration after a quiet
 * spell waits for an RCU grace period (5-20 ms measured here, ten times the rest of a run);
 * with it, ~40 us. */
int cgroups_join(const struct options *o)
{
    char path[PATH_MAX], pid[24];
    size_t pidlen = (size_t)(fmt_uint(pid, (unsigned)sys_getpid()) - pid);

    for (int i = 0; i < o->ncgroups; i++) {
        size_t dlen = strlen(o->cgroups[i]);
        if (dlen + sizeof "/cgroup.procs" > sizeof path)
            return ENAMETOOLONG;
        memcpy(path, o->cgroups[i], dlen);
        memcpy(path + dlen, "/cgroup.procs", sizeof "/cgroup.procs");
        int fd = sys_open(path, O_WRONLY | O_CLOEXEC, 0);
        if (fd < 0)
            return -fd;
        long w = sys_write(fd, pid, pidlen);
        sys_close(fd);
        if (w < 0)
            return (int)-w;
    }
    return 0;
}

int rlimits_apply(const struct options *o)
{
    /* No core files: they would land in the writable workdir and can be huge. An explicit
     * --rlimit core overrides this. */
    if (!o->core_set) {
        struct rlimit zero = { 0, 0 };
        int r = sys_setrlimit(RLIMIT_CORE, &zero);
        if (r < 0)
            return -r;
    }
    for (int i = 0; i < o->nrlimits; i++) {
        int r = sys_setrlimit(o->rlimits[i].resource, &o->rlimits[i].value);
        if (r < 0)
            return -r;
    }
    return 0;
}
