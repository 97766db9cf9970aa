// openat2(2), which glibc 2.36 (Debian 12) does not wrap: the parent's look-ups inside another process's root
// (/proc/PID/root) resolve with RESOLVE_IN_ROOT, so an absolute symbolic link or ".." there stays inside that root
// instead of landing on the host's files.
#include "cnamespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
// Linux 5.6; the number is the same on every architecture.
#define SYS_openat2 437
#endif

const uint64_t nsl_resolve_in_root = RESOLVE_IN_ROOT;
const uint64_t nsl_resolve_no_magiclinks = RESOLVE_NO_MAGICLINKS;

int nsl_openat2(int dirfd, const char *path, uint64_t flags, uint64_t resolve) {
    struct open_how how = {.flags = flags | O_CLOEXEC, .mode = 0, .resolve = resolve};
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}
