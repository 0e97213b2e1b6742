/*
 * The program process (pid 2 of the sandbox): drops everything it does not need, installs the
 * seccomp filter and execs the program. Any failure is reported as `setup_failed STAGE ERRNO`.
 */
#ifndef TOOLHOST_SANDBOX_PROGRAM_H
#define TOOLHOST_SANDBOX_PROGRAM_H

#include "options.h"

/* Never returns: execs the program or exits 127. SOCK carries the seccomp listener to the launcher. */
_Noreturn void program_run(const struct options *o, int sock);

#endif
