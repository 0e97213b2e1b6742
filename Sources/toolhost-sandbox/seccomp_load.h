/*
 * The seccomp filter and its user-notification listener.
 *
 * The supervisor compiles the allowlist (libseccomp, default action SECCOMP_RET_USER_NOTIF) and
 * hands us the raw BPF by fd; this launcher never links libseccomp. The program process installs
 * it with a listener fd and passes that fd to the launcher, which turns the first notification
 * (a syscall outside the allowlist) into `blocked NR ARCH` and kills the sandbox.
 */
#ifndef TOOLHOST_SANDBOX_SECCOMP_LOAD_H
#define TOOLHOST_SANDBOX_SECCOMP_LOAD_H

#include <linux/seccomp.h>

/* Program process: reads the BPF from BPF_FD (pread at offset 0, so the supervisor can reuse
 * one fd for every run), installs it, and sends the listener over SOCK. Returns 0, or an errno
 * with *stage set. After a successful return only the allowlisted exec tail may run. */
int seccomp_install(int bpf_fd, int sock, const char **stage);

/* Launcher: receives the listener fd sent by seccomp_install. Returns it, or -1. */
int seccomp_receive_listener(int sock);

/* Launcher: takes the pending notification off LISTENER into *REQ. Returns 0 or an errno
 * (ENOENT: the task died or was killed meanwhile). */
int seccomp_take_notification(int listener, struct seccomp_notif *req);

#endif
