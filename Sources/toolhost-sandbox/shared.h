/*
 * One page of memory shared by the launcher, the namespace init and the program process
 * (MAP_SHARED, mapped before the first clone): who reported the outcome, and three start-up
 * handshakes between the init and the program process.
 *
 * The handshakes exist for speed. Creating a network namespace is the single most expensive
 * step of a run (~0.4 ms here, for all the per-namespace sysctls and the loopback device), so
 * the init forks the program process first thing, which creates it (unshare) while the
 * launcher writes the id maps and the init builds the filesystem; the init then joins it (so
 * that /proc/1/net shows nothing of the host) and tells the program process that the new root
 * is ready.
 */
#ifndef TOOLHOST_SANDBOX_SHARED_H
#define TOOLHOST_SANDBOX_SHARED_H

#include <sys/types.h>

enum flag_value { FLAG_UNSET = 0, FLAG_OK = 1, FLAG_FAILED = 2 };

struct shared_page {
    int outcome;   /* enum outcome_kind: claimed with compare-and-swap, see status.h */
    int released;  /* init -> program process: the launcher has written the id maps */
    int net_ready; /* program process -> init: the network namespace exists (or failed) */
    int fs_ready;  /* init -> program process: new root entered, network namespace joined */
};

/* NULL until shared_map() succeeded. Set once, before any clone. */
extern struct shared_page *shared;

/* Maps the page. Returns 0 or an errno. */
int shared_map(void);

/* Publishes VALUE in *FLAG and wakes its waiters. */
void flag_set(int *flag, enum flag_value value);

/* Sleeps until *FLAG is set; returns its value. If SETTER > 0 (a child of the caller), returns
 * FLAG_FAILED once that child has exited without setting it (its status is left to be reaped). */
enum flag_value flag_wait(int *flag, pid_t setter);

#endif
