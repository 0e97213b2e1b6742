/*
 * The user namespace's id maps, written by the launcher (still in the parent user namespace)
 * for the freshly cloned namespace init. Writing from outside is what makes the same code work
 * as root (any host id) and unprivileged (only one's own id, after setgroups=deny).
 */
#ifndef TOOLHOST_SANDBOX_USERNS_H
#define TOOLHOST_SANDBOX_USERNS_H

#include "options.h"

/* Writes setgroups, uid_map and gid_map of PID. Returns 0, or an errno with *stage set. */
int userns_write_maps(pid_t pid, const struct options *o, const char **stage);

#endif
