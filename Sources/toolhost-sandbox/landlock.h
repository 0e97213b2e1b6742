/*
 * Execution restricted to named files, with Landlock (Linux 5.13+).
 *
 * A tool that declares "subprocess": false must not run another program. Seccomp stops it from
 * creating processes (clone without CLONE_THREAD, fork, vfork), but execve replaces the process
 * itself; Landlock's LANDLOCK_ACCESS_FS_EXECUTE is checked by the kernel for every file it
 * executes (the program, its ELF interpreter, a #! interpreter), whatever the path that names it.
 */
#ifndef TOOLHOST_SANDBOX_LANDLOCK_H
#define TOOLHOST_SANDBOX_LANDLOCK_H

/* Allows executing only `paths` (resolved inside the current root) from now on, for this process
 * and its descendants. Needs no_new_privs. Returns 0, or -errno (ENOSYS / EOPNOTSUPP: no Landlock). */
int exec_restrict(const char *const *paths, int npaths);

#endif
