#include "userns.h"

#include "status.h"

#include "sys.h"

#include <errno.h>

/* The kernel parses each map from a single write, so the whole content goes in one write(2). */
static int write_proc_file(char *path, char *name_at, const char *name, const char *data, size_t len)
{
    fmt_str(name_at, name)[0] = '\0';
    int fd = sys_open(path, O_WRONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return -fd;
    long w = sys_write(fd, data, len);
    sys_close(fd);
    return w < 0 ? (int)-w : (size_t)w != len ? EIO : 0;
}

/* "INSIDE HOST 1\n": exactly one id is mapped, so every other host id (including root, unless
 * HOST is root) shows up as the overflow id inside and cannot be assumed. */
static size_t format_map(char *buf, unsigned inside, unsigned host)
{
    char *p = fmt_uint(buf, inside);
    *p++ = ' ';
    p = fmt_uint(p, host);
    p = fmt_str(p, " 1\n");
    return (size_t)(p - buf);
}

int userns_write_maps(pid_t pid, const struct options *o, const char **stage)
{
    char path[64], map[64];
    char *name_at = fmt_str(fmt_uint(fmt_str(path, "/proc/"), (unsigned)pid), "/");
    int err;

    /* Required before an unprivileged gid_map, and keeps setgroups(2) from dropping a group
     * that a deny-by-group ACL relies on. */
    *stage = "setgroups";
    if ((err = write_proc_file(path, name_at, "setgroups", "deny", 4)))
        return err;
    *stage = "uid_map";
    if ((err = write_proc_file(path, name_at, "uid_map", map, format_map(map, o->uid, o->map_uid))))
        return err;
    *stage = "gid_map";
    return write_proc_file(path, name_at, "gid_map", map, format_map(map, o->gid, o->map_gid));
}
