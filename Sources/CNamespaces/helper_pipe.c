#include "helper_pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t nsl_helper_fork(int *fd) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
    pid_t child = fork();
    if (child < 0) {
        int saved = errno;
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        errno = saved;
        return -1;
    }
    close(pipe_fds[child == 0 ? 0 : 1]);
    *fd = pipe_fds[child == 0 ? 1 : 0];
    return child;
}

_Noreturn void nsl_helper_send_and_exit(int fd, const void *data, size_t size) {
    const char *cursor = data;
    while (size > 0) {
        ssize_t put = write(fd, cursor, size);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) _exit(1);
        cursor += put;
        size -= (size_t)put;
    }
    _exit(0);
}

int nsl_helper_collect(int fd, pid_t child, void *out, size_t size) {
    char *bytes = out;
    size_t got_total = 0;
    int read_errno = 0;
    while (got_total < size) {
        ssize_t got = read(fd, bytes + got_total, size - got_total);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            read_errno = errno;
            break;
        }
        if (got == 0) break;
        got_total += (size_t)got;
    }
    close(fd);
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {
    }
    if (got_total != size) {
        memset(out, 0, size);
        errno = read_errno ? read_errno : EIO;
        return -1;
    }
    return 0;
}
