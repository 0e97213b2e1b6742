/*
 * The launcher's command line, parsed once in the launcher process and then inherited (by
 * copy) by the namespace init and the program process. Strings point into argv: nothing is
 * copied, so parsing costs no allocation beyond one block for the option arrays.
 *
 *   toolhost-sandbox [OPTIONS] -- PROGRAM [ARGS...]      (each option also as --name=value)
 *     --status-fd N             required; outcome lines (status.h); made FD_CLOEXEC
 *     --seccomp-fd N            raw struct sock_filter array, read with pread at offset 0
 *     --cgroup DIR              repeatable; joined before any namespace is created
 *     --bind-ro SRC:DST         repeatable; recursive, read-only, nosuid, nodev
 *     --bind-rw SRC:DST         repeatable; recursive, nosuid, nodev
 *     --symlink TARGET:PATH     repeatable
 *     --dir PATH                repeatable; 0755, like mkdir -p
 *     --tmpfs PATH:BYTES        repeatable; mode 1777, nosuid, nodev
 *     --chdir PATH              default /
 *     --env K=V                 repeatable; the program's whole environment
 *     --hostname NAME           default "sandbox"
 *     --net none|host           default none
 *     --uid N --gid N           inside ids, default 1000/1000
 *     --map-uid N --map-gid N   host ids they map to, default the launcher's euid/egid
 *     --rlimit NAME=SOFT[:HARD] repeatable; cpu fsize nofile nproc as core stack memlock data;
 *                               values in the kernel's units or "unlimited"; core is 0 unless given
 *     --die-with-parent         SIGKILL when the parent *thread* exits (PR_SET_PDEATHSIG)
 *     --exec-only PATH          repeatable; with Landlock, only these files (inside paths) can be
 *                               executed: the program, its ELF and #! interpreters. Nothing else,
 *                               ever, for the program and every process it starts
 * SRC:DST and TARGET:PATH split at the first ':' (host paths cannot contain one); PATH:BYTES at
 * the last. Destinations are absolute paths inside the new root, resolved there (symlinks
 * created by earlier options are followed as if inside). --bind-*, --symlink, --dir and --tmpfs
 * apply in command-line order, after the fixed /etc/passwd, /etc/group, /dev and /proc, so a
 * later one may cover or build on an earlier one (a --bind-rw below a --tmpfs works).
 */
#ifndef TOOLHOST_SANDBOX_OPTIONS_H
#define TOOLHOST_SANDBOX_OPTIONS_H

#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

/* The filesystem operations that build the new root, applied in command-line order so that a
 * later operation can build on an earlier one (a bind below a --tmpfs, a --dir then a bind). */
enum root_op_kind { OP_BIND_RO, OP_BIND_RW, OP_SYMLINK, OP_DIR, OP_TMPFS };

struct root_op {
    enum root_op_kind kind;
    const char *src;  /* bind: host path; symlink: link target; tmpfs: size in bytes (digits) */
    const char *dst;  /* absolute path inside the new root */
    int tree_fd;      /* bind: detached copy of SRC from open_tree(2), -1 before mounting */
    bool src_is_dir;  /* bind: whether SRC is a directory (decides mkdir vs. empty file at DST) */
};

struct rlimit_op {
    int resource;
    struct rlimit value;
};

struct options {
    int status_fd;            /* -1 until --status-fd is seen */
    int seccomp_fd;           /* -1: no filter (development only) */
    const char **cgroups;
    int ncgroups;
    struct root_op *ops;
    int nops;
    struct rlimit_op *rlimits;
    int nrlimits;
    bool core_set;            /* --rlimit core given; otherwise core is forced to 0 */
    const char **envp;        /* NULL-terminated: the program's whole environment */
    int nenv;
    const char **exec_only;   /* --exec-only files; none: execution is not restricted */
    int nexec_only;
    const char *chdir;
    const char *hostname;
    bool net_host;
    uid_t uid, map_uid;
    gid_t gid, map_gid;
    bool die_with_parent;
    char **argv;              /* the program and its arguments, NULL-terminated (tail of main's argv) */
};

/* Parses argv into *o. Returns 0, or -1 with *why set to a message for stderr; o->status_fd is
 * filled in even on failure when --status-fd was given, so the caller can report `args`. */
int options_parse(struct options *o, int argc, char **argv, const char **why);

#endif
