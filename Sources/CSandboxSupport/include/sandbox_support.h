#ifndef TOOLHOST_SANDBOX_SUPPORT_H
#define TOOLHOST_SANDBOX_SUPPORT_H

#include <stdint.h>
#include <sys/types.h>

// Supervisor-side system calls that Swift cannot reach directly: glibc 2.36 has no wrappers for
// them, and the generic syscall() and fcntl() are variadic. Nothing here runs in a sandboxed child.

/// pidfd_open(2): a pollable descriptor that becomes readable when `pid` exits; -1 and errno on failure.
int toolhost_pidfd_open(pid_t pid);

/// openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV:
/// opens `path` below `dirfd` without following any link, or fails (ELOOP, EXDEV, ENOENT…).
int toolhost_open_beneath(int dirfd, const char *path, int flags);

/// openat2(2) below `dirfd` with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV: symbolic
/// links are followed only while they stay below `dirfd` (EXDEV when one leaves); `mode` is used with O_CREAT.
int toolhost_open_confined(int dirfd, const char *path, int flags, unsigned int mode);

/// Duplicates `fd` to the lowest free descriptor >= `minimum`, with close-on-exec set.
int toolhost_dup_cloexec(int fd, int minimum);

/// Sets O_NONBLOCK on `fd`; 0 on success.
int toolhost_set_nonblocking(int fd);



/// Seals a memfd against writes, growing and shrinking (the seccomp program is read-only from then on).
int toolhost_seal_readonly(int fd);
/// A close-on-exec memory file that can be sealed; -1 and errno on failure.
int toolhost_memfd_create(const char *name);

/// Opens a directory as an O_PATH descriptor (for *at() calls), close-on-exec, not following a final symlink.
int toolhost_open_directory_path(const char *path);

/// Opens directory `name` below `dirfd` as an O_PATH descriptor without following any link.
int toolhost_open_beneath_directory(int dirfd, const char *name);
/// pipe2(2) with O_CLOEXEC: `ends[0]` reads, `ends[1]` writes; 0 on success.
int toolhost_pipe_cloexec(int ends[2]);

/// Adds "close every descriptor from `lowest` up" to posix_spawn file actions (glibc's
/// posix_spawn_file_actions_addclosefrom_np), so a launcher inherits nothing it was not given.
int toolhost_spawn_close_from(void *actions, int lowest);

/// socketpair(2) AF_UNIX SOCK_SEQPACKET with close-on-exec: message boundaries are kept; 0 on success.
int toolhost_seqpacket_pair(int ends[2]);

/// Sends one message of `length` bytes on `socket` with `descriptor` attached (SCM_RIGHTS);
/// the number of bytes sent, or -1 and errno.
long toolhost_send_with_descriptor(int socket, const void *data, unsigned long length, int descriptor);

/// Lowers the calling thread's scheduling priority to `nice` (setpriority on its thread id), so that
/// CPU-heavy work on it yields to the server's event loops; 0 on success.
int toolhost_lower_thread_priority(int nice);
#endif
