/*
 * The launcher's side of a run, after the namespace init has been released: watch for a
 * blocked syscall and for the init's end. The launcher never exits before the init is reaped,
 * so when the supervisor's waitpid() on the launcher returns, the whole namespace is gone.
 */
#ifndef TOOLHOST_SANDBOX_SUPERVISE_H
#define TOOLHOST_SANDBOX_SUPERVISE_H

#include <stdbool.h>
#include <sys/types.h>

/* Returns the launcher's exit code: 0 when an outcome line was written (by anyone), 127 after a
 * setup failure. SOCK delivers the seccomp listener when WITH_SECCOMP. DEBUG adds a `# ...`
 * line with the blocked call's pid and arguments. */
int supervise(pid_t init, int pidfd, int sock, bool with_seccomp, bool debug);

/* Kills the init (and with it the namespace) and reaps it; for setup failures in the launcher. */
void supervise_abort(pid_t init);

#endif
