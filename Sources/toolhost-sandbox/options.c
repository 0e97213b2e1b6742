/*
 * Command-line parsing. The launcher runs once per sandboxed call, so parsing is a single pass
 * over argv with no copies: values point into argv, and "SRC:DST" pairs are split in place.
 */
#include "options.h"

#include "sys.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

/* Strict unsigned decimal: no sign, no spaces, no suffix, no overflow past MAX. */
static bool parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static bool parse_fd(const char *s, int *out)
{
    unsigned long long v;
    if (!parse_u64(s, 0x7fffffff, &v))
        return false;
    *out = (int)v;
    return true;
}

/* uid/gid: (uid_t)-1 means "unchanged" to setresuid(2), so it is not a valid id here. */
static bool parse_id(const char *s, unsigned int *out)
{
    unsigned long long v;
    if (!parse_u64(s, 0xfffffffeULL, &v))
        return false;
    *out = (unsigned int)v;
    return true;
}

/* An absolute path that names something below the root (mounting on "/" itself is refused). */
static bool inside_path(const char *p)
{
    if (p[0] != '/')
        return false;
    while (*p == '/')
        p++;
    return *p != '\0';
}

/* Splits "A:B" at the first ':' in place. Host paths given to --bind-* must therefore not
 * contain ':'; destinations may. */
static bool split_pair(char *s, const char **a, const char **b)
{
    char *colon = strchr(s, ':');
    if (colon == NULL || colon == s)
        return false;
    *colon = '\0';
    *a = s;
    *b = colon + 1;
    return true;
}

static bool parse_rlim_value(const char *s, rlim_t *out)
{
    unsigned long long v;
    if (strcmp(s, "unlimited") == 0 || strcmp(s, "infinity") == 0) {
        *out = RLIM_INFINITY;
        return true;
    }
    if (!parse_u64(s, ~0ULL, &v))
        return false;
    *out = (rlim_t)v;
    return true;
}

static const struct {
    const char *name;
    int resource;
} rlimit_names[] = {
    { "cpu", RLIMIT_CPU },   { "fsize", RLIMIT_FSIZE },     { "nofile", RLIMIT_NOFILE },
    { "nproc", RLIMIT_NPROC }, { "as", RLIMIT_AS },         { "core", RLIMIT_CORE },
    { "stack", RLIMIT_STACK }, { "memlock", RLIMIT_MEMLOCK }, { "data", RLIMIT_DATA },
};

/* NAME=SOFT[:HARD]; HARD defaults to SOFT. */
static bool parse_rlimit(char *s, struct rlimit_op *r, bool *is_core)
{
    char *eq = strchr(s, '=');
    if (eq == NULL)
        return false;
    *eq = '\0';
    r->resource = -1;
    for (size_t i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++)
        if (strcmp(s, rlimit_names[i].name) == 0)
            r->resource = rlimit_names[i].resource;
    if (r->resource < 0)
        return false;
    *is_core = r->resource == RLIMIT_CORE;
    char *soft = eq + 1, *hard = strchr(soft, ':');
    if (hard != NULL)
        *hard++ = '\0';
    if (!parse_rlim_value(soft, &r->value.rlim_cur))
        return false;
    if (hard == NULL)
        r->value.rlim_max = r->value.rlim_cur;
    else if (!parse_rlim_value(hard, &r->value.rlim_max))
        return false;
    return r->value.rlim_cur <= r->value.rlim_max;
}

/* The option being parsed, as given ("--name value"), kept before values are split in place so
 * that an error message can quote it. Process-wide: the message outlives the parse. */
static char current[200], message[256];

static void remember(const char *name, size_t len, const char *val)
{
    char *p = current, *end = current + sizeof current - 1;
    for (const char *s = "--"; *s && p < end; s++)
        *p++ = *s;
    for (size_t k = 0; k < len && p < end; k++)
        *p++ = name[k];
    if (val != NULL && p < end)
        *p++ = ' ';
    for (const char *s = val ? val : ""; *s && p < end; s++)
        *p++ = *s;
    *p = '\0';
}

static const char *describe(const char *what)
{
    char *p = message, *end = message + sizeof message - 1;
    for (const char *s = what; *s && p < end; s++)
        *p++ = *s;
    for (const char *s = ": "; *s && p < end; s++)
        *p++ = *s;
    for (const char *s = current; *s && p < end; s++)
        *p++ = *s;
    *p = '\0';
    return message;
}

/* After an error, keep looking for --status-fd so that `setup_failed args` can still be reported. */
static void find_status_fd(struct options *o, int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--status-fd") == 0 && i + 1 < argc)
            parse_fd(argv[i + 1], &o->status_fd);
        else if (strncmp(argv[i], "--status-fd=", 12) == 0)
            parse_fd(argv[i] + 12, &o->status_fd);
    }
}

int options_parse(struct options *o, int argc, char **argv, const char **why)
{
    size_t n = (size_t)argc;
    memset(o, 0, sizeof *o);
    o->status_fd = -1;
    o->seccomp_fd = -1;
    o->hostname = "sandbox";
    o->chdir = "/";
    o->uid = 1000;
    o->gid = 1000;
    o->map_uid = sys_geteuid();
    o->map_gid = sys_getegid();

    /* Every repeatable option uses at least one argv slot, so argc bounds each array. One
     * anonymous mapping holds them all (there is no malloc; see rt.c). */
    char *block = sys_mmap(n * (sizeof(struct root_op) + sizeof(struct rlimit_op) + 2 * sizeof(char *)) +
                               (n + 1) * sizeof(char *),
                           PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    if (sys_mmap_failed(block)) {
        *why = "out of memory";
        return -1;
    }
    o->ops = (struct root_op *)block;
    o->rlimits = (struct rlimit_op *)(block + n * sizeof(struct root_op));
    o->cgroups = (const char **)(block + n * (sizeof(struct root_op) + sizeof(struct rlimit_op)));
    o->envp = o->cgroups + n;
    o->exec_only = o->envp + n + 1;

    int i = 1;
    for (; i < argc; i++) {
        char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(arg, "--die-with-parent") == 0) {
            o->die_with_parent = true;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0) {
            *why = "expected an option or '--' before the program";
            goto fail;
        }
        /* Every other option takes a value: "--name value" or "--name=value". */
        const char *name = arg + 2;
        char *val, *eq = strchr(name, '=');
        size_t len;
        if (eq != NULL) {
            len = (size_t)(eq - name);
            val = eq + 1;
        } else {
            len = strlen(name);
            if (i + 1 >= argc) {
                remember(name, len, NULL);
                *why = describe("missing value");
                goto fail;
            }
            val = argv[++i];
        }
        remember(name, len, val);
#define IS(s) (len == sizeof(s) - 1 && memcmp(name, s, len) == 0)
        bool ok = true;
        if (IS("status-fd")) {
            ok = parse_fd(val, &o->status_fd);
        } else if (IS("seccomp-fd")) {
            ok = parse_fd(val, &o->seccomp_fd);
        } else if (IS("cgroup")) {
            ok = val[0] == '/';
            o->cgroups[o->ncgroups++] = val;
        } else if (IS("bind-ro") || IS("bind-rw") || IS("symlink")) {
            struct root_op *op = &o->ops[o->nops++];
            op->kind = IS("bind-ro") ? OP_BIND_RO : IS("bind-rw") ? OP_BIND_RW : OP_SYMLINK;
            op->tree_fd = -1;
            ok = split_pair(val, &op->src, &op->dst) && inside_path(op->dst);
        } else if (IS("dir")) {
            struct root_op *op = &o->ops[o->nops++];
            op->kind = OP_DIR;
            op->dst = val;
            op->tree_fd = -1;
            ok = inside_path(val);
        } else if (IS("tmpfs")) {
            struct root_op *op = &o->ops[o->nops++];
            char *colon = strrchr(val, ':');
            unsigned long long bytes;
            op->kind = OP_TMPFS;
            op->tree_fd = -1;
            ok = colon != NULL;
            if (ok) {
                *colon = '\0';
                op->dst = val;
                op->src = colon + 1;
                ok = inside_path(val) && parse_u64(op->src, ~0ULL, &bytes) && bytes > 0;
            }
        } else if (IS("exec-only")) {
            ok = val[0] == '/';
            o->exec_only[o->nexec_only++] = val;
        } else if (IS("chdir")) {
            o->chdir = val;
            ok = val[0] == '/';
        } else if (IS("env")) {
            ok = val[0] != '=' && strchr(val, '=') != NULL;
            o->envp[o->nenv++] = val;
        } else if (IS("hostname")) {
            size_t hl = strlen(val);
            o->hostname = val;
            ok = hl > 0 && hl <= 64;
        } else if (IS("net")) {
            ok = strcmp(val, "none") == 0 || strcmp(val, "host") == 0;
            o->net_host = strcmp(val, "host") == 0;
        } else if (IS("uid")) {
            ok = parse_id(val, &o->uid);
        } else if (IS("gid")) {
            ok = parse_id(val, &o->gid);
        } else if (IS("map-uid")) {
            ok = parse_id(val, &o->map_uid);
        } else if (IS("map-gid")) {
            ok = parse_id(val, &o->map_gid);
        } else if (IS("rlimit")) {
            bool is_core = false;
            ok = parse_rlimit(val, &o->rlimits[o->nrlimits++], &is_core);
            o->core_set |= is_core;
        } else {
            remember(name, len, NULL);
            *why = describe("unknown option");
            goto fail;
        }
#undef IS
        if (!ok) {
            *why = describe("malformed value");
            goto fail;
        }
    }
    o->envp[o->nenv] = NULL;
    if (o->status_fd < 0) {
        *why = "--status-fd is required";
        return -1;
    }
    if (i >= argc) {
        *why = "no program given after '--'";
        return -1;
    }
    o->argv = &argv[i];
    return 0;

fail:
    find_status_fd(o, argc, argv);
    return -1;
}
