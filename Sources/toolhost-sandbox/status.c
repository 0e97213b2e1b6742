#include "status.h"

#include "shared.h"
#include "sys.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

/* Process-wide by nature: set once before the first clone and inherited by copy. */
static int status_fd = -1;

void status_set_fd(int fd)
{
    status_fd = fd;
}

bool status_claim(enum outcome_kind kind)
{
    if (shared == NULL)
        return true; /* still a single process */
    int expected = OUTCOME_NONE;
    return __atomic_compare_exchange_n(&shared->outcome, &expected, (int)kind, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

enum outcome_kind status_claimed(void)
{
    return shared == NULL ? OUTCOME_NONE : (enum outcome_kind)__atomic_load_n(&shared->outcome, __ATOMIC_SEQ_CST);
}

char *fmt_str(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

char *fmt_uint(char *p, unsigned long long v)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

char *fmt_hex(char *p, unsigned long long v)
{
    static const char digits[] = "0123456789abcdef";
    int shift = 60;
    p = fmt_str(p, "0x");
    while (shift > 0 && ((v >> shift) & 0xf) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        *p++ = digits[(v >> shift) & 0xf];
    return p;
}

/* One write(2) per line: a pipe write of at most PIPE_BUF bytes is atomic. Errors are ignored on
 * purpose: if the supervisor is gone there is nobody left to tell. */
static void emit(const char *line, size_t len)
{
    long r;
    do
        r = sys_write(status_fd, line, len);
    while (r == -EINTR);
}

bool status_setup_failed(const char *stage, int err)
{
    char line[128];
    if (!status_claim(OUTCOME_SETUP_FAILED))
        return false;
    char *p = fmt_str(line, "setup_failed ");
    p = fmt_str(p, stage); /* stages are short fixed names */
    *p++ = ' ';
    p = fmt_uint(p, (unsigned)err);
    *p++ = '\n';
    emit(line, (size_t)(p - line));
    return true;
}

_Noreturn void status_fail(const char *stage, int err)
{
    status_setup_failed(stage, err);
    sys_exit(127);
}

bool status_wait_result(int wstatus)
{
    char line[64], *p;
    if (!status_claim(OUTCOME_RESULT))
        return false;
    if (WIFEXITED(wstatus)) {
        p = fmt_uint(fmt_str(line, "exit "), (unsigned)WEXITSTATUS(wstatus));
    } else {
        p = fmt_uint(fmt_str(line, "signal "), (unsigned)WTERMSIG(wstatus));
        if (WCOREDUMP(wstatus))
            p = fmt_str(p, " core");
    }
    *p++ = '\n';
    emit(line, (size_t)(p - line));
    return true;
}

bool status_blocked(int nr, unsigned int arch)
{
    char line[64], *p;
    if (!status_claim(OUTCOME_RESULT))
        return false;
    p = fmt_uint(fmt_str(line, "blocked "), (unsigned)nr);
    p = fmt_hex(fmt_str(p, " "), arch);
    *p++ = '\n';
    emit(line, (size_t)(p - line));
    return true;
}

void status_comment(const char *line, size_t len)
{
    if (len >= 2 && line[0] == '#' && line[1] == ' ')
        emit(line, len);
}

void say(const char *msg)
{
    char line[512];
    size_t len = strlen(msg);
    if (len > sizeof line - 32)
        len = sizeof line - 32;
    char *p = fmt_str(line, "toolhost-sandbox: ");
    memcpy(p, msg, len);
    p += len;
    *p++ = '\n';
    sys_write(2, line, (size_t)(p - line));
}
