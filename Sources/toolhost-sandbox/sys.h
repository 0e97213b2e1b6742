/*
 * System calls, without libc.
 *
 * The launcher is linked without libc (see rt.c for why), so every system call goes through
 * these wrappers. They follow the kernel's convention, not libc's: the result, or -errno on
 * failure; there is no errno variable. glibc's headers are still used, for types and constants.
 */
#ifndef TOOLHOST_SANDBOX_SYS_H
#define TOOLHOST_SANDBOX_SYS_H

#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mount.h> /* pulls in <linux/mount.h>: MOUNT_ATTR_*, OPEN_TREE_*, MOVE_MOUNT_* */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#if !defined(__x86_64__)
#error "toolhost-sandbox: only x86_64 is implemented (system call ABI in sys.h, entry point in rt.c)"
#endif

static inline long sys_call6(long n, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

#define SC0(n) sys_call6((n), 0, 0, 0, 0, 0, 0)
#define SC1(n, a) sys_call6((n), (long)(a), 0, 0, 0, 0, 0)
#define SC2(n, a, b) sys_call6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define SC3(n, a, b, c) sys_call6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SC4(n, a, b, c, d) sys_call6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define SC5(n, a, b, c, d, e) sys_call6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/* Files */
static inline int sys_open(const char *path, int flags, mode_t mode) { return (int)SC4(SYS_openat, AT_FDCWD, path, flags, mode); }
static inline int sys_openat(int dfd, const char *path, int flags, mode_t mode) { return (int)SC4(SYS_openat, dfd, path, flags, mode); }
static inline int sys_openat2(int dfd, const char *path, unsigned long long flags, unsigned long long resolve)
{
    struct open_how how = { .flags = flags, .mode = 0, .resolve = resolve };
    return (int)SC4(SYS_openat2, dfd, path, &how, sizeof how);
}
static inline long sys_read(int fd, void *buf, size_t n) { return SC3(SYS_read, fd, buf, n); }
static inline long sys_write(int fd, const void *buf, size_t n) { return SC3(SYS_write, fd, buf, n); }
static inline long sys_pread(int fd, void *buf, size_t n, off_t off) { return SC4(SYS_pread64, fd, buf, n, off); }
static inline int sys_close(int fd) { return (int)SC1(SYS_close, fd); }
static inline int sys_close_range(unsigned first, unsigned last, unsigned flags) { return (int)SC3(SYS_close_range, first, last, flags); }
static inline int sys_fcntl(int fd, int cmd, long arg) { return (int)SC3(SYS_fcntl, fd, cmd, arg); }
static inline int sys_fstat(int fd, struct stat *st) { return (int)SC2(SYS_fstat, fd, st); }
static inline int sys_mkdirat(int dfd, const char *path, mode_t mode) { return (int)SC3(SYS_mkdirat, dfd, path, mode); }
static inline int sys_mknodat(int dfd, const char *path, mode_t mode) { return (int)SC4(SYS_mknodat, dfd, path, mode, 0); }
static inline int sys_symlinkat(const char *target, int dfd, const char *path) { return (int)SC3(SYS_symlinkat, target, dfd, path); }
static inline int sys_chdir(const char *path) { return (int)SC1(SYS_chdir, path); }
static inline int sys_fchdir(int fd) { return (int)SC1(SYS_fchdir, fd); }
static inline mode_t sys_umask(mode_t mask) { return (mode_t)SC1(SYS_umask, mask); }
static inline int sys_ioctl(int fd, unsigned long req, void *arg) { return (int)SC3(SYS_ioctl, fd, req, arg); }
static inline int sys_poll(struct pollfd *fds, unsigned n, int timeout) { return (int)SC3(SYS_poll, fds, n, timeout); }

/* Mounts */
static inline int sys_mount(const char *src, const char *dst, const char *type, unsigned long flags, const void *data)
{
    return (int)SC5(SYS_mount, src, dst, type, flags, data);
}
static inline int sys_umount2(const char *path, int flags) { return (int)SC2(SYS_umount2, path, flags); }
static inline int sys_pivot_root(const char *new_root, const char *put_old) { return (int)SC2(SYS_pivot_root, new_root, put_old); }
static inline int sys_open_tree(int dfd, const char *path, unsigned flags) { return (int)SC3(SYS_open_tree, dfd, path, flags); }
static inline int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags)
{
    return (int)SC5(SYS_move_mount, from_dfd, from, to_dfd, to, flags);
}
/* Adds ATTR_SET to the mount at DFD/PATH (and below it with AT_RECURSIVE); never clears a flag. */
static inline int sys_mount_set(int dfd, const char *path, unsigned flags, unsigned long long attr_set)
{
    struct mount_attr attr = { .attr_set = attr_set, .attr_clr = 0, .propagation = 0, .userns_fd = 0 };
    return (int)SC5(SYS_mount_setattr, dfd, path, flags, &attr, sizeof attr);
}

/* Processes. clone with a NULL stack behaves like fork: the child returns 0 on a copy of our stack. */
static inline pid_t sys_clone(unsigned long flags, int *pidfd) { return (pid_t)SC5(SYS_clone, flags, 0, pidfd, 0, 0); }
static inline pid_t sys_wait4(pid_t pid, int *status, int options) { return (pid_t)SC4(SYS_wait4, pid, status, options, 0); }
static inline int sys_kill(pid_t pid, int sig) { return (int)SC2(SYS_kill, pid, sig); }
static inline int sys_execve(const char *path, char *const argv[], char *const envp[]) { return (int)SC3(SYS_execve, path, argv, envp); }
static inline _Noreturn void sys_exit(int code)
{
    for (;;)
        SC1(SYS_exit_group, code);
}
static inline pid_t sys_getpid(void) { return (pid_t)SC0(SYS_getpid); }
static inline pid_t sys_getppid(void) { return (pid_t)SC0(SYS_getppid); }
static inline uid_t sys_geteuid(void) { return (uid_t)SC0(SYS_geteuid); }
static inline gid_t sys_getegid(void) { return (gid_t)SC0(SYS_getegid); }
static inline int sys_setsid(void) { return (int)SC0(SYS_setsid); }
static inline int sys_setresuid(uid_t id) { return (int)SC3(SYS_setresuid, id, id, id); }
static inline int sys_setresgid(gid_t id) { return (int)SC3(SYS_setresgid, id, id, id); }
static inline int sys_sethostname(const char *name, size_t len) { return (int)SC2(SYS_sethostname, name, len); }
static inline int sys_prctl(int op, unsigned long a, unsigned long b) { return (int)SC5(SYS_prctl, op, a, b, 0, 0); }
static inline int sys_setrlimit(int resource, const struct rlimit *r) { return (int)SC4(SYS_prlimit64, 0, resource, r, 0); }
static inline int sys_capset_zero(void)
{
    struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { { 0, 0, 0 }, { 0, 0, 0 } };
    return (int)SC2(SYS_capset, &hdr, data);
}
static inline int sys_seccomp(unsigned op, unsigned flags, void *args) { return (int)SC3(SYS_seccomp, op, flags, args); }
static inline void *sys_mmap(size_t len, int prot, int flags) { return (void *)SC5(SYS_mmap, 0, len, prot, flags, -1); }
static inline int sys_mmap_failed(void *p) { return (unsigned long)p > -4096UL; }

/* Sockets */
static inline int sys_socketpair(int domain, int type, int fds[2]) { return (int)SC4(SYS_socketpair, domain, type, 0, fds); }
static inline long sys_sendmsg(int fd, const struct msghdr *msg, int flags) { return SC3(SYS_sendmsg, fd, msg, flags); }
static inline long sys_recvmsg(int fd, struct msghdr *msg, int flags) { return SC3(SYS_recvmsg, fd, msg, flags); }

/* Signals, with the kernel's sigaction layout (glibc's differs) and an 8-byte signal set.
 * x86_64 requires SA_RESTORER with a restorer (rt.c's rt_sigreturn) for handlers. */
#define KERNEL_SA_RESTORER 0x04000000UL
struct kernel_sigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};
static inline int sys_sigaction(int sig, const struct kernel_sigaction *sa) { return (int)SC4(SYS_rt_sigaction, sig, sa, 0, 8); }
static inline int sys_sigsetmask(unsigned long mask) { return (int)SC4(SYS_rt_sigprocmask, SIG_SETMASK, &mask, 0, 8); }

#endif
