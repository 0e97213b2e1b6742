/*
 * The sandbox's filesystem: a fresh tmpfs root holding binds of host paths, a minimal /dev, a
 * /proc for the new pid namespace and size-capped tmpfs mounts; then pivot_root into it.
 * Runs in the namespace init, which holds every capability of the new user namespace.
 */
#ifndef TOOLHOST_SANDBOX_MOUNTS_H
#define TOOLHOST_SANDBOX_MOUNTS_H

#include "options.h"

/* Makes the mount tree private and captures every bind source with open_tree(), while the init
 * still has the launcher's host ids: a root supervisor's sources may lie below directories only
 * root can search (a data directory under a 0700 parent), which the sandbox's own host id could
 * not resolve. Returns 0, or an errno with *stage set. */
int mounts_capture(struct options *o, const char **stage);

/* Builds the new root (still reachable from the old one) from the captured sources. Returns 0,
 * or an errno with *stage set. */
int mounts_build(struct options *o, const char **stage);

/* pivot_root into the new root, detach the old one, make / read-only. This also moves the root
 * of the (already forked) program process, but not its cwd. Returns 0, or an errno with *stage. */
int mounts_enter(const char **stage);

#endif
