#include "helper_pipe.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* The helpers' deepest frame is a struct utsname and a few small buffers; 64 KiB leaves room to spare. */
#define NSL_HELPER_STACK_SIZE (64 * 1024)

static int run_helper(int (*body)(void *), void *argument, int extra_flags) {
    void *stack = mmap(NULL, NSL_HELPER_STACK_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return -1;
    /* The helper starts with the caller's mask: all blocked, so no signal handler runs in it. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    /* No exit signal: a helper's end is no SIGCHLD for the event loop (which would wake the dashboard
     * to reap children that did not end). CLONE_VFORK: back here only once the helper has _exit()ed. */
    pid_t child = clone(body, (char *)stack + NSL_HELPER_STACK_SIZE, CLONE_VM | CLONE_VFORK | extra_flags, argument);
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    int result = 0;
    if (child < 0) {
        errno = clone_errno;
        result = -1;
    } else {
        int status = 0;
        pid_t reaped;
        do {
            reaped = waitpid(child, &status, __WCLONE);
        } while (reaped < 0 && errno == EINTR);
        if (reaped != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            errno = EIO;
            result = -1;
        }
    }
    int saved = errno;
    munmap(stack, NSL_HELPER_STACK_SIZE);
    errno = saved;
    return result;
}

int nsl_helper_run(int (*body)(void *), void *argument) { return run_helper(body, argument, 0); }

int nsl_helper_run_sharing_files(int (*body)(void *), void *argument) {
    return run_helper(body, argument, CLONE_FILES);
}
