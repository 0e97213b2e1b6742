/*
 * The little the launcher needs from a C library besides system calls (see rt.c).
 */
#ifndef TOOLHOST_SANDBOX_RT_H
#define TOOLHOST_SANDBOX_RT_H

/* execvp(3) with an explicit environment, searching the PATH of ENVP (glibc's default when it
 * has none) and running a #!-less script with /bin/sh. Returns -errno (only if nothing ran).
 * Uses no system call other than execve. */
int rt_execvpe(const char *file, char *const argv[], char *const envp[]);

/* The restorer that sa_restorer must point to on x86_64 (returns from a signal handler). */
void rt_sigreturn(void);

#endif
