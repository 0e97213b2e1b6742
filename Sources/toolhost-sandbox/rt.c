/*
 * A minimal C runtime: entry point, string functions, execvp.
 *
 * Why not glibc: its start-up (CPU feature and cache detection for the IFUNC string functions,
 * TLS, IRELATIVE relocations) costs ~0.3 ms per exec on this machine class, where every CPUID
 * instruction traps to the hypervisor (~3.6 us each, measured). That is a fifth of a whole
 * sandboxed /bin/true, and the launcher needs nothing from libc but system calls (sys.h) and
 * the few functions below. Package.swift links it with -nostdlib, so these are the only ones.
 *
 * _start is weak: linked the ordinary way (`gcc *.c`, e.g. for debugging or sanitizers),
 * glibc's start-up wins and the launcher runs unchanged on top of glibc. The string functions
 * are hidden, so they serve our own code only and never interpose on a shared library's.
 */
#include "rt.h"

#include "sys.h"

#include <asm/prctl.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

int main(int argc, char **argv);

/* The empty volatile asm in each loop keeps the compiler from recognising the loop as a
 * memset/strlen/... idiom and compiling it into a call to the very function being defined. */
#define NO_IDIOM() __asm__ volatile("")

__attribute__((weak, visibility("hidden"))) void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    for (; n; n--) {
        NO_IDIOM();
        *d++ = (unsigned char)c;
    }
    return dst;
}

__attribute__((weak, visibility("hidden"))) void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (; n; n--) {
        NO_IDIOM();
        *d++ = *s++;
    }
    return dst;
}

__attribute__((weak, visibility("hidden"))) void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s)
        return memcpy(dst, src, n);
    while (n) {
        NO_IDIOM();
        n--;
        d[n] = s[n];
    }
    return dst;
}

__attribute__((weak, visibility("hidden"))) int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++) {
        NO_IDIOM();
        if (*x != *y)
            return *x - *y;
    }
    return 0;
}

__attribute__((weak, visibility("hidden"))) size_t strlen(const char *s)
{
    const char *p = s;
    while (*p) {
        NO_IDIOM();
        p++;
    }
    return (size_t)(p - s);
}

__attribute__((weak, visibility("hidden"))) int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        NO_IDIOM();
        a++, b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

__attribute__((weak, visibility("hidden"))) int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        NO_IDIOM();
        if (*a != *b || *a == '\0')
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

__attribute__((weak, visibility("hidden"))) char *strchr(const char *s, int c)
{
    for (;; s++) {
        NO_IDIOM();
        if (*s == (char)c)
            return (char *)s;
        if (*s == '\0')
            return NULL;
    }
}

__attribute__((weak, visibility("hidden"))) char *strrchr(const char *s, int c)
{
    const char *last = NULL;
    for (;; s++) {
        NO_IDIOM();
        if (*s == (char)c)
            last = s;
        if (*s == '\0')
            return (char *)last;
    }
}

/* Only reached if some compiler defaults to stack protection; see the TLS block below. */
__attribute__((weak, noreturn)) void __stack_chk_fail(void)
{
    sys_exit(127);
}

/* Enough of a thread control block for %fs-relative loads: the self pointer at 0 and a stack
 * protector canary at 0x28 (the ABI's fixed offsets), should a toolchain emit such checks. */
static unsigned long tcb[8];

/* Called by _start with the initial stack: argc, argv[], NULL, envp[], NULL, auxv. */
__attribute__((noreturn, used)) void toolhost_rt_start(long *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    tcb[0] = (unsigned long)tcb;
    tcb[5] = (unsigned long)sp ^ 0x5d1b2c3a4e5f6071UL;
    SC2(SYS_arch_prctl, ARCH_SET_FS, tcb);
    sys_exit(main(argc, argv));
}

__asm__(".pushsection .text\n"
        ".weak _start\n"
        ".type _start, @function\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"       /* outermost frame, for debuggers */
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"       /* the ABI wants a 16-byte aligned stack at calls */
        "  call toolhost_rt_start\n"
        "  hlt\n"
        ".size _start, . - _start\n"
        ".globl rt_sigreturn\n"
        ".type rt_sigreturn, @function\n"
        "rt_sigreturn:\n"
        "  mov $15, %eax\n"        /* SYS_rt_sigreturn */
        "  syscall\n"
        ".size rt_sigreturn, . - rt_sigreturn\n"
        ".popsection\n");

/* Runs a file that execve refused as ENOEXEC (a script without #!) with /bin/sh, as execvp does. */
static int exec_script(const char *path, char *const argv[], char *const envp[])
{
    int argc = 0;
    while (argv[argc])
        argc++;
    if (argc > 4096)
        return -E2BIG;
    char *shargv[argc + 2];
    shargv[0] = (char *)"/bin/sh";
    shargv[1] = (char *)path;
    for (int i = 1; i <= argc; i++)
        shargv[i + 1] = argv[i];
    return sys_execve("/bin/sh", shargv, envp);
}

int rt_execvpe(const char *file, char *const argv[], char *const envp[])
{
    int r;
    if (*file == '\0')
        return -ENOENT;
    if (strchr(file, '/') != NULL) {
        r = sys_execve(file, argv, envp);
        return r == -ENOEXEC ? exec_script(file, argv, envp) : r;
    }

    const char *path = "/bin:/usr/bin"; /* glibc's default */
    for (char *const *e = envp; *e; e++)
        if (strncmp(*e, "PATH=", 5) == 0)
            path = *e + 5;

    size_t flen = strlen(file);
    bool denied = false;
    char buf[PATH_MAX];
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        size_t dlen = end ? (size_t)(end - p) : strlen(p);
        if (dlen + 1 + flen < sizeof buf) {
            /* An empty entry means the current directory. */
            char *b = buf;
            memcpy(b, p, dlen);
            b += dlen;
            if (dlen)
                *b++ = '/';
            memcpy(b, file, flen + 1);
            r = sys_execve(buf, argv, envp);
            if (r == -ENOEXEC)
                return exec_script(buf, argv, envp);
            if (r == -EACCES)
                denied = true;
            else if (r != -ENOENT && r != -ENOTDIR && r != -ESTALE && r != -ENODEV && r != -ETIMEDOUT)
                return r;
        }
        if (end == NULL)
            break;
        p = end;
    }
    return denied ? -EACCES : -ENOENT;
}
