/* How both fact helpers start (nsinfo.c, userns_read.c): a child made with clone(CLONE_VM | CLONE_VFORK)
 * on a small stack of its own, as spawn.c's launcher does and as posix_spawn does inside glibc. It shares
 * nslab's memory instead of copying its page tables, so its cost does not grow with nslab's memory (a fork
 * with a 1 GB scrollback took 170-260 ms here); the caller sleeps until it _exit()s, and the helper writes
 * its result straight into the caller's buffer, so no pipe is needed.
 * Internal to the C target, so it lives beside the .c files, not in include/. (The name is historical.) */
#ifndef NSLAB_HELPER_PIPE_H
#define NSLAB_HELPER_PIPE_H

#include <stddef.h>
#include <sys/types.h>

/* Runs body(argument) in a helper task that shares the caller's memory but has its own fd table, fs and
 * namespaces (so setns() in it leaves the caller alone), with every signal blocked (no handler of the
 * caller's, Swift code among them, ever runs on the helper's stack). body must only make system calls
 * and write into memory the caller owns; its return value is the helper's exit status.
 * Returns 0 when the helper ran and exited with status 0, or -1 with errno set (EIO for any other end). */
int nsl_helper_run(int (*_Nonnull body)(void *_Nullable), void *_Nullable argument);

/* As nsl_helper_run, but the helper shares the caller's fd table too (CLONE_FILES): an fd it opens is the
 * caller's when it returns. netns_sockets.c hands netlink sockets back that way; the helper must close on
 * failure whatever it opened that it does not report. */
int nsl_helper_run_sharing_files(int (*_Nonnull body)(void *_Nullable), void *_Nullable argument);

#endif
