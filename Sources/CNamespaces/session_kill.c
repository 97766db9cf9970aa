/* Killing a child's whole session (see nsl_session.h). Raw system calls only: the crash handler uses it. */
#include "nsl_session.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The sessions the crash handler kills; 0 is a free slot. Plain int stores are atomic on every target. */
static volatile pid_t registered[NSL_MAX_SESSIONS];

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* A decimal pid from a directory name; -1 for anything else (self, sys, ...). */
static long parse_pid(const char *name) {
    long value = 0;
    if (*name == 0) return -1;
    for (; *name; name++) {
        if (*name < '0' || *name > '9' || value > 100000000) return -1;
        value = value * 10 + (*name - '0');
    }
    return value;
}

/* Reads <dir>/<pid>/stat relative to the open proc directory; the session id, or -1. *zombie tells Z or X. */
static long session_of(int proc_fd, const char *name, int *zombie) {
    char path[32];
    int length = 0;
    for (const char *c = name; *c && length < 20; c++) path[length++] = *c;
    const char tail[] = "/stat";
    for (unsigned i = 0; i < sizeof tail; i++) path[length++] = tail[i];
    int fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    /* Only the first fields are needed, and comm is at most 16 bytes: 256 bytes hold field 6. Small
     * buffers throughout, as the crash handler may run on a small alternate signal stack. */
    char buffer[256];
    ssize_t got;
    do {
        got = read(fd, buffer, sizeof buffer - 1);
    } while (got < 0 && errno == EINTR);
    close(fd);
    if (got <= 0) return -1;
    /* comm may hold spaces and ')': the fields start after the last ')'. */
    ssize_t close_paren = -1;
    for (ssize_t i = 0; i < got; i++)
        if (buffer[i] == ')') close_paren = i;
    if (close_paren < 0) return -1;
    /* ") S ppid pgrp session": field 3 is the state, field 6 the session. */
    ssize_t i = close_paren + 1;
    int field = 2;
    long session = -1;
    while (i < got && field < 6) {
        while (i < got && buffer[i] == ' ') i++;
        field++;
        if (field == 3) *zombie = buffer[i] == 'Z' || buffer[i] == 'X';
        if (field == 6) {
            int negative = 0;
            if (i < got && buffer[i] == '-') { negative = 1; i++; }
            session = 0;
            while (i < got && buffer[i] >= '0' && buffer[i] <= '9') session = session * 10 + (buffer[i++] - '0');
            if (negative) session = -session;
        }
        while (i < got && buffer[i] != ' ') i++;
    }
    return field == 6 ? session : -1;
}

/* The pids already signalled, so a process that is still on its way out is not counted again. */
struct signalled {
    pid_t pids[256];
    int count;
};

static int already_signalled(const struct signalled *seen, pid_t pid) {
    for (int i = 0; i < seen->count; i++)
        if (seen->pids[i] == pid) return 1;
    return 0;
}

/* One pass over the proc directory: SIGKILLs the live members of `sid`; how many it had not signalled yet. */
static int kill_pass(int proc_fd, pid_t sid, struct signalled *seen) {
    int found = 0;
    if (lseek(proc_fd, 0, SEEK_SET) < 0) return -1;
    char entries[2048] __attribute__((aligned(8)));
    for (;;) {
        long got = syscall(SYS_getdents64, proc_fd, entries, sizeof entries);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        for (long offset = 0; offset < got;) {
            struct linux_dirent64 *entry = (struct linux_dirent64 *)(entries + offset);
            offset += entry->d_reclen;
            long pid = parse_pid(entry->d_name);
            if (pid <= 0) continue;
            int zombie = 0;
            if (session_of(proc_fd, entry->d_name, &zombie) != sid || zombie) continue;
            if (kill((pid_t)pid, SIGKILL) != 0 || already_signalled(seen, (pid_t)pid)) continue;
            found++;
            if (seen->count < (int)(sizeof seen->pids / sizeof seen->pids[0])) seen->pids[seen->count++] = (pid_t)pid;
        }
    }
    return found;
}

int nsl_kill_session(const char *proc_root, pid_t sid) {
    if (sid <= 1) {
        errno = EINVAL;  // never "every process without a session", never init's
        return -1;
    }
    int proc_fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (proc_fd < 0) return -1;
    struct signalled seen;
    seen.count = 0;
    int total = 0;
    for (int pass = 0; pass < 32; pass++) {
        int found = kill_pass(proc_fd, sid, &seen);
        if (found <= 0) break;
        total += found;
    }
    close(proc_fd);
    return total;
}

int nsl_register_session(pid_t sid) {
    for (int i = 0; i < NSL_MAX_SESSIONS; i++) {
        if (registered[i] == sid) return 0;
    }
    for (int i = 0; i < NSL_MAX_SESSIONS; i++) {
        if (registered[i] == 0) {
            registered[i] = sid;
            return 0;
        }
    }
    return -1;
}

void nsl_unregister_session(pid_t sid) {
    for (int i = 0; i < NSL_MAX_SESSIONS; i++) {
        if (registered[i] == sid) registered[i] = 0;
    }
}

void nsl_kill_registered_sessions(void) {
    int saved = errno;
    for (int i = 0; i < NSL_MAX_SESSIONS; i++) {
        pid_t sid = registered[i];
        if (sid > 1) (void)nsl_kill_session("/proc", sid);
    }
    errno = saved;
}
