/*
 * Reading files from inside another user namespace (see nsl_userns_read.h).
 *
 * Between fork() and _exit() the helper only makes system calls (setns, open, read, write), which is
 * safe after forking a multithreaded process; setns() into a user namespace needs exactly that: a
 * single-threaded caller.
 */
#include "helper_pipe.h"
#include "nsl_userns_read.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void read_one(const char *path, struct nsl_userns_reads *out, int index) {
    int file = open(path, O_RDONLY | O_CLOEXEC);
    if (file < 0) {
        out->file_errno[index] = errno;
        return;
    }
    int total = 0;
    for (;;) {
        ssize_t got = read(file, out->data[index] + total, NSL_USERNS_FILE_BYTES - (size_t)total);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            out->file_errno[index] = errno;
            break;
        }
        if (got == 0) break;
        total += (int)got;
        if (total >= NSL_USERNS_FILE_BYTES) break;
    }
    out->length[index] = total;
    close(file);
}

int nsl_read_in_userns(int userns_fd, const char *const *paths, int count, struct nsl_userns_reads *out) {
    memset(out, 0, sizeof *out);
    if (count > NSL_USERNS_MAX_FILES) count = NSL_USERNS_MAX_FILES;
    int pipe_fd;
    pid_t child = nsl_helper_fork(&pipe_fd);
    if (child < 0) return -1;
    if (child == 0) {
        /* Let go of every other fd at once: another thread's file open for writing, held here, would
         * make its exec fail with ETXTBSY for as long as this helper lives. */
        int keep_low = pipe_fd < userns_fd ? pipe_fd : userns_fd;
        int keep_high = pipe_fd < userns_fd ? userns_fd : pipe_fd;
        if (keep_low > 3) close_range(3, (unsigned)keep_low - 1, 0);
        if (keep_high > keep_low + 1) close_range((unsigned)keep_low + 1, (unsigned)keep_high - 1, 0);
        close_range((unsigned)keep_high + 1, ~0U, 0);
        /* A name of its own, so nobody mistakes this short-lived copy for nslab itself. */
        prctl(PR_SET_NAME, "nslab-helper", 0, 0, 0);
        if (setns(userns_fd, CLONE_NEWUSER) != 0) {
            out->setns_errno = errno;
        } else {
            for (int i = 0; i < count; i++) read_one(paths[i], out, i);
        }
        nsl_helper_send_and_exit(pipe_fd, out, sizeof *out);
    }
    return nsl_helper_collect(pipe_fd, child, out, sizeof *out);
}
