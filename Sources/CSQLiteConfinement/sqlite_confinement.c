#include "sqlite_confinement.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

// Enough for every call the host runs at once; a call that finds none free fails, it never waits.
#define SLOT_COUNT 256

static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
// Root descriptors by slot, -1 when free. Read under the lock, so a slot cannot be reused while a
// lookup holds its descriptor (lookups duplicate it before letting go of the lock).
static int slot_roots[SLOT_COUNT];
static int slots_ready = 0;

typedef int (*open_call)(const char *, int, int);
typedef int (*stat_call)(const char *, struct stat *);
typedef int (*access_call)(const char *, int);
typedef int (*unlink_call)(const char *);

static open_call original_open;
static stat_call original_stat;
static stat_call original_lstat;
static access_call original_access;
static unlink_call original_unlink;

static const char prefix[] = TOOLHOST_SQLITE_WORKSPACE_PREFIX;
#define PREFIX_LENGTH (sizeof prefix - 1)

/// True when `path` is the prefix's directory itself or anything below it.
static int is_confined(const char *path) {
    return path != NULL && (strncmp(path, prefix, PREFIX_LENGTH) == 0 || strcmp(path, "/.toolhost-workspace") == 0);
}

/// Splits a confined name into a duplicated root descriptor and the path below it ("." for the
/// root). Returns the descriptor, or -1 with errno ENOENT for a name that names no live slot.
static int resolve_slot(const char *path, const char **relative) {
    if (strncmp(path, prefix, PREFIX_LENGTH) != 0) {
        errno = ENOENT;
        return -1;
    }
    const char *cursor = path + PREFIX_LENGTH;
    char *end = NULL;
    long slot = strtol(cursor, &end, 10);
    if (end == cursor || slot < 0 || slot >= SLOT_COUNT || (*end != '/' && *end != '\0')) {
        errno = ENOENT;
        return -1;
    }
    *relative = (*end == '\0' || end[1] == '\0') ? "." : end + 1;
    pthread_mutex_lock(&slots_lock);
    int root = slots_ready ? slot_roots[slot] : -1;
    int copy = root >= 0 ? fcntl(root, F_DUPFD_CLOEXEC, 3) : -1;
    pthread_mutex_unlock(&slots_lock);
    if (root < 0) errno = ENOENT;
    return copy;
}

/// openat2 below `root` through no link of any kind and no mount point.
static int open_beneath(int root, const char *relative, int flags, int mode) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW);
    how.mode = (flags & O_CREAT) ? (uint64_t)(mode & 07777) : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
    int fd;
    do {
        fd = (int)syscall(SYS_openat2, root, relative, &how, sizeof how);
    } while (fd < 0 && errno == EAGAIN);
    return fd;
}

/// Opens a confined name beneath its workspace root; -1 with errno when it cannot.
static int open_confined_name(const char *path, int flags, int mode) {
    const char *relative;
    int root = resolve_slot(path, &relative);
    if (root < 0) return -1;
    int fd = open_beneath(root, relative, flags, mode);
    int saved = errno;
    close(root);
    errno = saved;
    return fd;
}

/// Runs `body` on an O_PATH descriptor of a confined name, keeping the errno it leaves.
static int with_confined_path(const char *path, int (*body)(int fd, void *argument), void *argument) {
    int fd = open_confined_name(path, O_PATH, 0);
    if (fd < 0) return -1;
    int result = body(fd, argument);
    int saved = errno;
    close(fd);
    errno = saved;
    return result;
}

static int stat_descriptor(int fd, void *info) {
    return fstat(fd, (struct stat *)info);
}

static int access_descriptor(int fd, void *mode) {
    return faccessat(fd, "", *(int *)mode, AT_EMPTY_PATH);
}

static int confined_open(const char *path, int flags, int mode) {
    if (!is_confined(path)) return original_open(path, flags, mode);
    return open_confined_name(path, flags, mode);
}

static int confined_stat(const char *path, struct stat *info) {
    if (!is_confined(path)) return original_stat(path, info);
    return with_confined_path(path, stat_descriptor, info);
}

// SQLite lstat()s each component of a name to resolve links in it. Confined names have none that
// may be followed (the opens refuse them), so the name is kept exactly as it was given.
static int confined_lstat(const char *path, struct stat *info) {
    if (!is_confined(path)) return original_lstat(path, info);
    errno = ENOENT;
    return -1;
}

static int confined_access(const char *path, int mode) {
    if (!is_confined(path)) return original_access(path, mode);
    return with_confined_path(path, access_descriptor, &mode);
}

static int confined_unlink(const char *path) {
    if (!is_confined(path)) return original_unlink(path);
    const char *relative;
    int root = resolve_slot(path, &relative);
    if (root < 0) return -1;
    // The parent is opened beneath the root without links; the last name is removed from it.
    const char *slash = strrchr(relative, '/');
    int parent = root;
    const char *name = relative;
    if (slash != NULL) {
        char directory[4096];
        size_t length = (size_t)(slash - relative);
        if (length >= sizeof directory) {
            close(root);
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(directory, relative, length);
        directory[length] = '\0';
        parent = open_beneath(root, directory, O_PATH | O_DIRECTORY, 0);
        int saved = errno;
        close(root);
        if (parent < 0) {
            errno = saved;
            return -1;
        }
        name = slash + 1;
    }
    int result = unlinkat(parent, name, 0);
    int saved = errno;
    close(parent);
    errno = saved;
    return result;
}

static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int install_status = SQLITE_ERROR;

static void install(void) {
    sqlite3_vfs *vfs = sqlite3_vfs_find("unix");
    if (vfs == NULL || vfs->iVersion < 3 || vfs->xGetSystemCall == NULL) {
        install_status = SQLITE_ERROR;
        return;
    }
    for (int slot = 0; slot < SLOT_COUNT; slot++) slot_roots[slot] = -1;
    slots_ready = 1;
    original_open = (open_call)vfs->xGetSystemCall(vfs, "open");
    original_stat = (stat_call)vfs->xGetSystemCall(vfs, "stat");
    original_lstat = (stat_call)vfs->xGetSystemCall(vfs, "lstat");
    original_access = (access_call)vfs->xGetSystemCall(vfs, "access");
    original_unlink = (unlink_call)vfs->xGetSystemCall(vfs, "unlink");
    if (!original_open || !original_stat || !original_lstat || !original_access || !original_unlink) {
        install_status = SQLITE_ERROR;
        return;
    }
    // All unix VFS variants share one table of system calls, so the default VFS is covered too.
    int status = vfs->xSetSystemCall(vfs, "open", (sqlite3_syscall_ptr)confined_open);
    if (status == SQLITE_OK) status = vfs->xSetSystemCall(vfs, "stat", (sqlite3_syscall_ptr)confined_stat);
    if (status == SQLITE_OK) status = vfs->xSetSystemCall(vfs, "lstat", (sqlite3_syscall_ptr)confined_lstat);
    if (status == SQLITE_OK) status = vfs->xSetSystemCall(vfs, "access", (sqlite3_syscall_ptr)confined_access);
    if (status == SQLITE_OK) status = vfs->xSetSystemCall(vfs, "unlink", (sqlite3_syscall_ptr)confined_unlink);
    install_status = status;
}

int toolhost_sqlite_confinement_install(void) {
    pthread_once(&install_once, install);
    return install_status;
}

int toolhost_sqlite_workspace_register(int root_fd) {
    if (toolhost_sqlite_confinement_install() != SQLITE_OK) {
        errno = ENOSYS;
        return -1;
    }
    int copy = fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
    if (copy < 0) return -1;
    pthread_mutex_lock(&slots_lock);
    for (int slot = 0; slot < SLOT_COUNT; slot++) {
        if (slot_roots[slot] < 0) {
            slot_roots[slot] = copy;
            pthread_mutex_unlock(&slots_lock);
            return slot;
        }
    }
    pthread_mutex_unlock(&slots_lock);
    close(copy);
    errno = EMFILE;
    return -1;
}

void toolhost_sqlite_workspace_unregister(int slot) {
    if (slot < 0 || slot >= SLOT_COUNT) return;
    pthread_mutex_lock(&slots_lock);
    int root = slot_roots[slot];
    slot_roots[slot] = -1;
    pthread_mutex_unlock(&slots_lock);
    if (root >= 0) close(root);
}

int toolhost_sqlite_harden(struct sqlite3 *db) {
    static const int settings[][2] = {
        {SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0},
        {SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0},
        {SQLITE_DBCONFIG_DEFENSIVE, 1},
        {SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0},
        {SQLITE_DBCONFIG_WRITABLE_SCHEMA, 0},
    };
    for (size_t index = 0; index < sizeof settings / sizeof settings[0]; index++) {
        int applied = -1;
        int status = sqlite3_db_config(db, settings[index][0], settings[index][1], &applied);
        if (status != SQLITE_OK) return status;
        if (applied != settings[index][1]) return SQLITE_ERROR;
    }
    return SQLITE_OK;
}
