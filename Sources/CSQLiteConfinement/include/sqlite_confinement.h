#ifndef TOOLHOST_SQLITE_CONFINEMENT_H
#define TOOLHOST_SQLITE_CONFINEMENT_H

// SQLite opened on workspace files without ever following a path that sandboxed code can change.
//
// SQLite's unix VFS opens the database, its -journal, -wal and -shm files, and the directory it
// syncs, by name, more than once per connection. A name is checked once and used later, so code
// that can write into the workspace could swap a directory for a link in between and redirect the
// host into another tenant's files. Here every name under a registered workspace is resolved from
// that workspace's descriptor with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), each time SQLite
// touches it, by replacing the unix VFS's path system calls (its documented xSetSystemCall seam).
// Names outside the prefix go to the original calls, so the host's own databases are untouched.

struct sqlite3;

/// The file-name prefix of confined databases: `/.toolhost-workspace/<slot>/<path in the workspace>`.
#define TOOLHOST_SQLITE_WORKSPACE_PREFIX "/.toolhost-workspace/"

/// Installs the confined system calls on SQLite's unix VFS, once per process; later calls do nothing.
/// Returns SQLITE_OK, or SQLite's error code when the VFS cannot be found or changed.
int toolhost_sqlite_confinement_install(void);

/// Registers a workspace root (any descriptor of the directory; it is duplicated, the caller keeps
/// its own). Returns the slot for the file name, or -1 with errno (EMFILE when every slot is taken).
int toolhost_sqlite_workspace_register(int root_fd);

/// Forgets a slot and closes its descriptor; connections opened through it must be closed first.
void toolhost_sqlite_workspace_unregister(int slot);

/// Turns off what a database file or a statement must never reach in the host process: the
/// fts3_tokenizer() pointer interface, extension loading, triggers and views that call functions
/// with side effects (trusted_schema off), writes that corrupt the schema (defensive on).
/// Returns SQLITE_OK, or the first error of sqlite3_db_config.
int toolhost_sqlite_harden(struct sqlite3 *db);

#endif
