/*
 * Reading files from inside another user namespace (see nsl_userns_read.h).
 *
 * The helper is a clone(CLONE_VM | CLONE_VFORK) task (helper_pipe.h) that only makes system calls
 * (close_range, setns, open, read) before it _exit()s; setns() into a user namespace needs a caller
 * that is a thread group of its own with its own fs, which it is, and nslab's threads never move.
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

/* What the helper is given: the namespace, the files, and where to put them (the caller's memory). */
struct userns_job {
    int userns_fd;
    const char *const *paths;
    int count;
    struct nsl_userns_reads *out;
};

static int userns_helper(void *argument) {
    struct userns_job *job = argument;
    /* Let go of every other fd at once (the helper has its own copy of the fd table): another thread's
     * file open for writing, held here, would make its exec fail with ETXTBSY while this helper lives. */
    if (job->userns_fd > 3) close_range(3, (unsigned)job->userns_fd - 1, 0);
    close_range((unsigned)job->userns_fd + 1, ~0U, 0);
    /* A name of its own, so nobody mistakes this short-lived task for nslab itself. */
    prctl(PR_SET_NAME, "nslab-helper", 0, 0, 0);
    if (setns(job->userns_fd, CLONE_NEWUSER) != 0) {
        job->out->setns_errno = errno;
    } else {
        for (int i = 0; i < job->count; i++) read_one(job->paths[i], job->out, i);
    }
    return 0;
}

int nsl_read_in_userns(int userns_fd, const char *const *paths, int count, struct nsl_userns_reads *out) {
    memset(out, 0, sizeof *out);
    if (count > NSL_USERNS_MAX_FILES) count = NSL_USERNS_MAX_FILES;
    struct userns_job job = {userns_fd, paths, count, out};
    if (nsl_helper_run(userns_helper, &job) != 0) {
        int saved = errno;
        memset(out, 0, sizeof *out);
        errno = saved;
        return -1;
    }
    return 0;
}
