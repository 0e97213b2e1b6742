/*
 * The status protocol: one text line per write(2) on the status fd, so lines written by the
 * launcher, the namespace init and the program process never interleave.
 *
 *   setup_failed <stage> <errno> | blocked <nr> <0xarch> | exit <code> | signal <n>[ core]
 *
 * Exactly one of these is written per run. The three processes share one word of memory
 * (shared.h) and whoever claims it first writes the line; everybody else stays silent. That
 * also tells the namespace init whether the program process died of a setup failure (already
 * reported) or of the program itself. If the init is killed from outside before anything was
 * reported (OOM killer, cgroup.kill, SIGTERM to the launcher), the launcher reports that signal.
 *
 * With TOOLHOST_SANDBOX_DEBUG=1 in the launcher's environment, `# ...` lines may precede the
 * outcome; the supervisor skips lines starting with '#'.
 */
#ifndef TOOLHOST_SANDBOX_STATUS_H
#define TOOLHOST_SANDBOX_STATUS_H

#include <stdbool.h>
#include <stddef.h>

enum outcome_kind { OUTCOME_NONE = 0, OUTCOME_SETUP_FAILED = 1, OUTCOME_RESULT = 2 };

/* Remembers the status fd; must be called before any other function here. */
void status_set_fd(int fd);

/* Claims the single outcome line for KIND. False if another process already claimed it. */
bool status_claim(enum outcome_kind kind);

/* What was claimed so far (OUTCOME_NONE if nothing). */
enum outcome_kind status_claimed(void);

/* Claims and writes `setup_failed STAGE ERR`; false if something else was already reported. */
bool status_setup_failed(const char *stage, int err);

/* Reports a setup failure and exits 127 (namespace init and program process). */
_Noreturn void status_fail(const char *stage, int err);

/* Claims and writes the program's wait status as `exit N` or `signal N[ core]`. */
bool status_wait_result(int wstatus);

/* Claims and writes `blocked NR 0xARCH`. */
bool status_blocked(int nr, unsigned int arch);

/* Writes a debugging line, which must start with "# " (the supervisor skips those). */
void status_comment(const char *line, size_t len);

/* Small formatting helpers (no stdio: it would allocate and flush). Return the end of output. */
char *fmt_str(char *p, const char *s);
char *fmt_uint(char *p, unsigned long long v);
char *fmt_hex(char *p, unsigned long long v); /* 0x-prefixed, no leading zeros */

/* Writes a message to stderr (for humans; the supervisor reads the status fd). */
void say(const char *msg);

#endif
