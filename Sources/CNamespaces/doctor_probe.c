/*
 * The doctor's probe child (see nsl_doctor.h for the order of the steps).
 *
 * After the fork only system calls run (unshare, open, write, close, close_range, _exit): the parent is a
 * multi-threaded Swift process, whose locks a forked child must never touch. The child starts from _Fork(),
 * which skips the atfork handlers for the same reason.
 */
#include "nsl_doctor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER 0x10000000
#endif

/* The length of a NUL-terminated string, without the C library (strlen is not listed as async-signal-safe
 * before POSIX 2016; this costs nothing). */
static size_t text_length(const char *text) {
    size_t length = 0;
    while (text[length] != '\0') length++;
    return length;
}

/* Writes text to a /proc/self file; 0 or the errno. */
static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    size_t length = text_length(text);
    ssize_t written = write(fd, text, length);
    int error = written == (ssize_t)length ? 0 : (written < 0 ? errno : EIO);
    close(fd);
    return error;
}

/* The maps of a user namespace this process just entered: setgroups must say "deny" before an unprivileged
 * gid_map is accepted (user_namespaces(7)); a failure to write it (old kernels lack the file) is not fatal. */
static int write_maps(const char *uid_line, const char *gid_line) {
    (void)write_file("/proc/self/setgroups", "deny");
    int error = write_file("/proc/self/gid_map", gid_line);
    if (error == 0) error = write_file("/proc/self/uid_map", uid_line);
    return error;
}

static int try_unshare(int flags) { return unshare(flags) == 0 ? 0 : errno; }

/* Steps 1 and 2, and step 3's result for the user slot. */
static void probe_direct(const int *flags, int count, struct nsl_doctor_probe *out) {
    out->filter_errno = try_unshare(0);
    int user_slot = -1;
    for (int i = 0; i < count; i++) {
        if (flags[i] == CLONE_NEWUSER) {
            user_slot = i;
            continue;
        }
        out->direct_errno[i] = try_unshare(flags[i]);
    }
    // Last, so the kinds above were tried in the caller's own user namespace.
    if (user_slot >= 0) out->direct_errno[user_slot] = try_unshare(CLONE_NEWUSER);
}

/* Steps 3 to 5, in a child of its own: a second unshare(CLONE_NEWPID) or (CLONE_NEWTIME) in the process that
 * made the first fails with EINVAL, so the direct tries must not have happened here. */
static void probe_nested(const int *flags, int count, const char *uid_line, const char *gid_line,
                         struct nsl_doctor_probe *out) {
    int user_slot = -1;
    for (int i = 0; i < count; i++) {
        if (flags[i] == CLONE_NEWUSER) user_slot = i;
    }
    int user_errno = try_unshare(CLONE_NEWUSER);
    if (user_errno != 0) {
        for (int i = 0; i < count; i++) out->nested_errno[i] = user_errno;
        return;
    }
    out->map_errno = write_maps(uid_line, gid_line);
    for (int i = 0; i < count; i++) {
        if (i != user_slot) out->nested_errno[i] = try_unshare(flags[i]);
    }
    if (out->map_errno != 0) {
        if (user_slot >= 0) out->nested_errno[user_slot] = out->map_errno;
        return;
    }
    // Root inside maps to root of the level above from here on.
    for (int level = 0; level < NSL_DOCTOR_MAX_LEVELS; level++) {
        int error = try_unshare(CLONE_NEWUSER);
        if (error == 0) error = write_maps("0 0 1\n", "0 0 1\n");
        if (level == 0 && user_slot >= 0) out->nested_errno[user_slot] = error;
        if (error != 0) {
            out->levels_errno = error;
            return;
        }
        out->more_levels++;
    }
}

/* Runs one phase of the probe in a throwaway child and reads its answer into *out; 0, or -1 with errno set. */
/* Milliseconds on the monotonic clock. */
static long long now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int run_child(int nested, const int *flags, int count, const char *uid_line, const char *gid_line,
                     int timeout_ms, struct nsl_doctor_probe *out) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
    pid_t child = _Fork();
    if (child < 0) {
        int error = errno;
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        errno = error;
        return -1;
    }
    if (child == 0) {
        // Hold nothing of the parent's but the answer pipe: another thread's file open for writing, held
        // here, would make an exec elsewhere fail with ETXTBSY for as long as this child lives.
        int keep = pipe_fds[1];
        if (keep > 3) close_range(3, (unsigned)keep - 1, 0);
        close_range((unsigned)keep + 1, ~0U, 0);
        struct nsl_doctor_probe result = {0};
        if (nested) {
            probe_nested(flags, count, uid_line, gid_line, &result);
        } else {
            probe_direct(flags, count, &result);
        }
        const char *cursor = (const char *)&result;
        size_t left = sizeof result;
        while (left > 0) {
            ssize_t written = write(keep, cursor, left);
            if (written < 0 && errno == EINTR) continue;
            if (written <= 0) _exit(1);
            cursor += written;
            left -= (size_t)written;
        }
        _exit(0);
    }
    close(pipe_fds[1]);
    char *cursor = (char *)out;
    size_t got = 0;
    int read_error = 0;
    long long deadline = timeout_ms < 0 ? 0 : now_ms() + timeout_ms;
    while (got < sizeof *out) {
        if (timeout_ms >= 0) {
            long long left = deadline - now_ms();
            struct pollfd answer = {.fd = pipe_fds[0], .events = POLLIN};
            int ready = left > 0 ? poll(&answer, 1, (int)left) : 0;
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) {
                read_error = ready == 0 ? ETIMEDOUT : errno;
                kill(child, SIGKILL); // it is reaped below: a probe that hangs does not hold its caller
                break;
            }
        }
        ssize_t n = read(pipe_fds[0], cursor + got, sizeof *out - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) read_error = errno;
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(pipe_fds[0]);
    // Reap it whatever it answered: no probe child outlives this call.
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (got != sizeof *out) {
        errno = read_error != 0 ? read_error : EPIPE;
        return -1;
    }
    return 0;
}

int nsl_run_doctor_probe(const int *flags, int count, const char *uid_map_line, const char *gid_map_line,
                         int timeout_ms, struct nsl_doctor_probe *out) {
    if (count < 0 || count > NSL_DOCTOR_KINDS) {
        errno = EINVAL;
        return -1;
    }
    memset(out, 0, sizeof *out);
    struct nsl_doctor_probe nested = {0};
    if (run_child(0, flags, count, uid_map_line, gid_map_line, timeout_ms, out) != 0) return -1;
    if (run_child(1, flags, count, uid_map_line, gid_map_line, timeout_ms, &nested) != 0) return -1;
    memcpy(out->nested_errno, nested.nested_errno, sizeof out->nested_errno);
    out->map_errno = nested.map_errno;
    out->more_levels = nested.more_levels;
    out->levels_errno = nested.levels_errno;
    return 0;
}

int nsl_doctor_try_pty(void) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return errno;
    close(fd);
    return 0;
}
