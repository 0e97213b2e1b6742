/*
 * Resource limits: cgroups (memory, pids, CPU accounting; set up by the supervisor, joined here)
 * and rlimits (per process, applied to the program process just before exec).
 */
#ifndef TOOLHOST_SANDBOX_RESOURCES_H
#define TOOLHOST_SANDBOX_RESOURCES_H

#include "options.h"

/* Moves the calling process into every --cgroup directory. Returns 0 or an errno. */
int cgroups_join(const struct options *o);

/* Applies every --rlimit, and RLIMIT_CORE = 0 unless --rlimit core was given. Returns 0 or an errno. */
int rlimits_apply(const struct options *o);

#endif
