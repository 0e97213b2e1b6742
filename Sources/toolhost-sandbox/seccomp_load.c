#include "seccomp_load.h"

#include "sys.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <string.h>

/* The kernel's maximum program length, plus one slot to notice a longer file. Static so the
 * program process only touches the pages it reads into. */
static struct sock_filter filter[BPF_MAXINSNS + 1];

int seccomp_install(int bpf_fd, int sock, const char **stage)
{
    *stage = "seccomp_read";
    long n = sys_pread(bpf_fd, filter, sizeof filter, 0);
    if (n < 0)
        return (int)-n;
    if (n == 0 || n % (long)sizeof(struct sock_filter) != 0 || n > BPF_MAXINSNS * (long)sizeof(struct sock_filter))
        return EINVAL;
    struct sock_fprog prog = { .len = (unsigned short)(n / (long)sizeof(struct sock_filter)), .filter = filter };

    *stage = "seccomp";
    int listener = sys_seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
    if (listener < 0)
        return -listener;

    /* The filter is live. Everything from here to execve must be in the allowlist, or the
     * process blocks on a notification nobody can read yet: sendmsg here, then execve (and
     * write + exit_group if exec fails). The listener is not closed: the kernel creates it
     * O_CLOEXEC, so exec drops it without a close(2) that the allowlist would need. */
    *stage = "notify_fd";
    char byte = 0;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf,
    };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &listener, sizeof(int));
    long r = sys_sendmsg(sock, &msg, MSG_NOSIGNAL);
    return r < 0 ? (int)-r : 0;
}

int seccomp_receive_listener(int sock)
{
    char byte;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof control.buf,
    };
    long n;
    do
        n = sys_recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (n == -EINTR);
    if (n <= 0)
        return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (c == NULL || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
        return -1;
    int fd;
    memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

int seccomp_take_notification(int listener, struct seccomp_notif *req)
{
    memset(req, 0, sizeof *req); /* the kernel rejects a non-zeroed request */
    int r = sys_ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req);
    return r < 0 ? -r : 0;
}
