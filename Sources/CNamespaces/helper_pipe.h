/* The plumbing both forked fact helpers share (nsinfo.c, userns_read.c): the helper writes one
 * fixed-size result over a pipe and exits; the parent reads it whole and reaps the helper.
 * Internal to the C target, so it lives beside the .c files, not in include/. */
#ifndef NSLAB_HELPER_PIPE_H
#define NSLAB_HELPER_PIPE_H

#include <stddef.h>
#include <sys/types.h>

/* Forks a helper with a close-on-exec pipe back to the parent. Returns 0 in the helper, with *fd
 * the pipe's write end; the helper's pid in the parent, with *fd the read end; or -1 with errno set
 * when no helper could be started. */
pid_t nsl_helper_fork(int *fd);

/* In the helper: writes all `size` bytes to `fd`, then _exit()s (0 on success, 1 if the parent is
 * gone). Only system calls, so it is safe after fork() in a multithreaded process. */
_Noreturn void nsl_helper_send_and_exit(int fd, const void *data, size_t size);

/* In the parent: reads exactly `size` bytes from `fd` into `out`, closes `fd` and reaps `child`.
 * Returns 0, or -1 with errno set (and `out` zeroed) when the helper did not report in full. */
int nsl_helper_collect(int fd, pid_t child, void *out, size_t size);

#endif
