#include "mounts.h"

#include "status.h"
#include "sys.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

/* Where the new root is assembled before pivot_root. Covering the host's /tmp is harmless: bind
 * sources are captured with open_tree() before this mount, so a source below /tmp stays reachable. */
#define NEWROOT "/tmp"

/* Paths inside the new root are resolved as if it were already the root: absolute symlinks
 * (e.g. --symlink /usr/bin:/bin) and ".." stay inside it instead of reaching the host. */
#define RESOLVE_NEWROOT (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

/* Captures every bind source as a detached copy of its mount tree. Recursive, because mounts
 * inherited from the host are locked together in a user namespace and cannot be split. */
static int capture_sources(struct options *o)
{
    for (int i = 0; i < o->nops; i++) {
        struct root_op *op = &o->ops[i];
        struct stat st;
        if (op->kind != OP_BIND_RO && op->kind != OP_BIND_RW)
            continue;
        int r = sys_open_tree(AT_FDCWD, op->src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
        if (r < 0)
            return -r;
        op->tree_fd = r;
        if ((r = sys_fstat(op->tree_fd, &st)) < 0)
            return -r;
        op->src_is_dir = S_ISDIR(st.st_mode);
    }
    return 0;
}

/* Creates a file that did not exist, with its whole content in one write. */
static int write_new_file(const char *path, const char *data, size_t len)
{
    int fd = sys_open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return -fd;
    long w = sys_write(fd, data, len);
    sys_close(fd);
    return w < 0 ? (int)-w : (size_t)w != len ? EIO : 0;
}

/* /etc/passwd and /etc/group naming the inside ids, so that `id`, `whoami`, Python's
 * pwd/getpass and shells' ~ work. Written before the user's binds, which may cover them. */
static int write_etc(const struct options *o)
{
    char buf[128], *p;
    int err;
    if ((err = sys_mkdirat(AT_FDCWD, NEWROOT "/etc", 0755)) < 0)
        return -err;
    p = fmt_uint(fmt_str(buf, "sandbox:x:"), o->uid);
    p = fmt_uint(fmt_str(p, ":"), o->gid);
    p = fmt_str(p, ":sandbox:/work:/bin/sh\n");
    if ((err = write_new_file(NEWROOT "/etc/passwd", buf, (size_t)(p - buf))))
        return err;
    p = fmt_uint(fmt_str(buf, "sandbox:x:"), o->gid);
    p = fmt_str(p, ":\n");
    return write_new_file(NEWROOT "/etc/group", buf, (size_t)(p - buf));
}

/* A read-only /dev with four harmless character devices bound from the host (no device node
 * can be created inside a user namespace), the /proc/self/fd links, and an empty /dev/shm for
 * --tmpfs /dev/shm to cover. Read-only because a program mapped to host root would own
 * /dev/null and could chmod it for the whole host. */
static int make_dev(void)
{
    static const char *const devices[][2] = {
        { "/dev/null", NEWROOT "/dev/null" },
        { "/dev/zero", NEWROOT "/dev/zero" },
        { "/dev/random", NEWROOT "/dev/random" },
        { "/dev/urandom", NEWROOT "/dev/urandom" },
    };
    static const char *const links[][2] = {
        { "/proc/self/fd", NEWROOT "/dev/fd" },
        { "/proc/self/fd/0", NEWROOT "/dev/stdin" },
        { "/proc/self/fd/1", NEWROOT "/dev/stdout" },
        { "/proc/self/fd/2", NEWROOT "/dev/stderr" },
    };
    int r;
    if ((r = sys_mkdirat(AT_FDCWD, NEWROOT "/dev", 0755)) < 0 ||
        (r = sys_mount("tmpfs", NEWROOT "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,nr_inodes=64,mode=0755")) < 0 ||
        (r = sys_mkdirat(AT_FDCWD, NEWROOT "/dev/shm", 01777)) < 0)
        return -r;
    for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
        if ((r = sys_mknodat(AT_FDCWD, devices[i][1], S_IFREG | 0666)) < 0 ||
            (r = sys_mount(devices[i][0], devices[i][1], NULL, MS_BIND, NULL)) < 0)
            return -r;
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if ((r = sys_symlinkat(links[i][0], AT_FDCWD, links[i][1])) < 0)
            return -r;
    r = sys_mount_set(AT_FDCWD, NEWROOT "/dev", AT_RECURSIVE, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
    return -r;
}

/* The pid namespace's own proc. Mounted before pivot_root because the kernel only allows a new
 * proc where a full proc is already visible. Read-only: a program whose inside uid maps to host
 * root could otherwise write global sysctls under /proc/sys (they check the uid, not capabilities). */
static int make_proc(void)
{
    int r;
    if ((r = sys_mkdirat(AT_FDCWD, NEWROOT "/proc", 0555)) < 0 ||
        (r = sys_mount("proc", NEWROOT "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL)) < 0)
        return -r;
    return 0;
}

/* Opens (O_PATH) directory PATH (relative to the new root, modified temporarily), creating
 * missing components 0755 like mkdir -p. Returns ROOTFD itself for "", or -errno.
 * A component we just created is opened directly; an existing one (maybe a symlink) is
 * resolved from the root with RESOLVE_IN_ROOT so that it cannot lead out of the new root. */
static int open_dir_p(int rootfd, char *path)
{
    int cur = rootfd;
    size_t s = 0;
    for (;;) {
        while (path[s] == '/')
            s++;
        if (path[s] == '\0')
            return cur;
        size_t e = s;
        while (path[e] != '\0' && path[e] != '/')
            e++;
        char saved = path[e];
        int next;
        path[e] = '\0';
        if ((next = sys_mkdirat(cur, path + s, 0755)) == 0)
            next = sys_openat(cur, path + s, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        else if (next == -EEXIST)
            next = sys_openat2(rootfd, path, O_PATH | O_DIRECTORY | O_CLOEXEC, RESOLVE_NEWROOT);
        path[e] = saved;
        if (cur != rootfd)
            sys_close(cur);
        if (next < 0)
            return next;
        cur = next;
        s = e;
    }
}

static void close_dir(int fd, int rootfd)
{
    if (fd >= 0 && fd != rootfd)
        sys_close(fd);
}

/* Splits a relative path into parent (in place) and last component; "" parent for top level. */
static char *split_last(char *path, char **parent)
{
    size_t len = strlen(path);
    while (len > 0 && path[len - 1] == '/')
        path[--len] = '\0';
    char *slash = strrchr(path, '/');
    if (slash == NULL) {
        *parent = path + len; /* "" */
        return path;
    }
    *slash = '\0';
    *parent = path;
    return slash + 1;
}

/* Creates the empty file FULL (split into PARENT/NAME) and opens it O_PATH; or -errno. */
static int open_file_p(int rootfd, char *parent, const char *name, const char *full)
{
    int pfd = open_dir_p(rootfd, parent), fd;
    if (pfd < 0)
        return pfd;
    if ((fd = sys_mknodat(pfd, name, S_IFREG | 0644)) == 0)
        fd = sys_openat(pfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
    else if (fd == -EEXIST)
        fd = sys_openat2(rootfd, full, O_PATH | O_CLOEXEC, RESOLVE_NEWROOT);
    close_dir(pfd, rootfd);
    return fd;
}

/* Moves a captured bind tree onto DST, creating DST as a directory or an empty file to match
 * the source, after setting its flags on the still detached tree (AT_RECURSIVE, so submounts of
 * a read-only bind are read-only too). */
static int attach_bind(int rootfd, const struct root_op *op, char *rel, const char *full)
{
    unsigned long long attr = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
    int dst, r;
    if (op->kind == OP_BIND_RO)
        attr |= MOUNT_ATTR_RDONLY;
    if ((r = sys_mount_set(op->tree_fd, "", AT_EMPTY_PATH | AT_RECURSIVE, attr)) < 0)
        return -r;
    if (op->src_is_dir) {
        dst = open_dir_p(rootfd, rel);
    } else {
        char *parent, *name = split_last(rel, &parent);
        dst = open_file_p(rootfd, parent, name, full);
    }
    if (dst < 0)
        return -dst;
    r = sys_move_mount(op->tree_fd, "", dst, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
    close_dir(dst, rootfd);
    return -r;
}

/* A size-capped, world-writable (sticky) tmpfs: the program's only writable space besides the
 * rw binds. Mounted on "." after fchdir, so that the target is the directory resolved safely. */
static int attach_tmpfs(int rootfd, const struct root_op *op, char *rel)
{
    char data[64];
    int dir, r;
    if (strlen(op->src) > 24)
        return EINVAL;
    fmt_str(fmt_str(fmt_str(data, "size="), op->src), ",mode=1777")[0] = '\0';
    if ((dir = open_dir_p(rootfd, rel)) < 0)
        return -dir;
    if ((r = sys_fchdir(dir)) == 0)
        r = sys_mount("tmpfs", ".", "tmpfs", MS_NOSUID | MS_NODEV, data);
    close_dir(dir, rootfd);
    return -r;
}

static int apply_op(int rootfd, const struct root_op *op, const char **stage)
{
    char full[PATH_MAX], rel[PATH_MAX];
    const char *dst = op->dst;
    while (*dst == '/')
        dst++;
    size_t len = strlen(dst);
    if (len >= sizeof full)
        return ENAMETOOLONG;
    memcpy(full, dst, len + 1);
    memcpy(rel, dst, len + 1);

    switch (op->kind) {
    case OP_BIND_RO:
    case OP_BIND_RW:
        *stage = "bind";
        return attach_bind(rootfd, op, rel, full);
    case OP_TMPFS:
        *stage = "tmpfs";
        return attach_tmpfs(rootfd, op, rel);
    case OP_DIR: {
        /* --dir and --symlink only add entries to the root tmpfs. */
        *stage = "root_tmpfs";
        int fd = open_dir_p(rootfd, rel);
        if (fd < 0)
            return -fd;
        close_dir(fd, rootfd);
        return 0;
    }
    case OP_SYMLINK: {
        *stage = "root_tmpfs";
        char *parent, *name = split_last(rel, &parent);
        int pfd = open_dir_p(rootfd, parent), r;
        if (pfd < 0)
            return -pfd;
        r = sys_symlinkat(op->src, pfd, name);
        close_dir(pfd, rootfd);
        return -r;
    }
    }
    return EINVAL;
}

int mounts_capture(struct options *o, const char **stage)
{
    int err;

    /* Nothing mounted here may propagate back to the host, nor host mounts into the sandbox. */
    *stage = "mount_private";
    if ((err = sys_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) < 0)
        return -err;
    *stage = "open_tree";
    return capture_sources(o);
}

int mounts_build(struct options *o, const char **stage)
{
    int err, rootfd;
    /* The root only needs room for directories, symlinks and the two /etc files; it becomes
     * read-only after pivot_root. */
    *stage = "root_tmpfs";
    if ((err = sys_mount("tmpfs", NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")) < 0)
        return -err;
    if ((rootfd = sys_open(NEWROOT, O_PATH | O_DIRECTORY | O_CLOEXEC, 0)) < 0)
        return -rootfd;
    *stage = "etc_files";
    if ((err = write_etc(o)))
        return err;
    *stage = "dev";
    if ((err = make_dev()))
        return err;
    *stage = "proc";
    if ((err = make_proc()))
        return err;
    for (int i = 0; i < o->nops; i++)
        if ((err = apply_op(rootfd, &o->ops[i], stage)))
            return err;
    /* Leave the cwd on the new root: mounts_enter pivots around ".". */
    *stage = "pivot_root";
    if ((err = sys_fchdir(rootfd)) < 0)
        return -err;
    sys_close(rootfd);
    return 0;
}

int mounts_enter(const char **stage)
{
    int r;
    /* pivot_root(".", ".") stacks the old root on top of the new one; unmounting "." then
     * removes the old root (lazily, with everything below it) and leaves the new one as /. */
    *stage = "pivot_root";
    if ((r = sys_pivot_root(".", ".")) < 0 || (r = sys_umount2(".", MNT_DETACH)) < 0)
        return -r;
    *stage = "remount_root";
    if ((r = sys_mount_set(AT_FDCWD, "/", 0, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)) < 0)
        return -r;
    return 0;
}
