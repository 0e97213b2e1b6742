/*
 * The namespace init (pid 1 of the new pid namespace): builds the filesystem, starts the
 * program process, reaps everything, reports how the program ended and exits. Its exit makes
 * the kernel SIGKILL whatever is left in the namespace, so a background process that still
 * holds the output pipes cannot stretch the run.
 */
#ifndef TOOLHOST_SANDBOX_INIT_H
#define TOOLHOST_SANDBOX_INIT_H

#include "options.h"

/* Never returns. SOCK is this side of the launcher's socketpair (release byte in, seccomp
 * listener out); PEER is the launcher's side, closed here. Exits 0 after reporting the
 * program's end, 127 after a setup failure (already reported). */
_Noreturn void init_run(struct options *o, int sock, int peer);

#endif
