/*
 * Capabilities of the program process. The namespace init keeps every capability of the new
 * user namespace (it needs them for mounts); the program must start with none, and must not be
 * able to regain any through exec.
 */
#ifndef TOOLHOST_SANDBOX_CAPS_H
#define TOOLHOST_SANDBOX_CAPS_H

/* Empties the bounding set, the ambient set and the permitted/effective/inheritable sets.
 * Returns 0 or an errno. */
int caps_drop_all(void);

#endif
