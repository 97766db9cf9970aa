#ifndef _GNU_SOURCE
#define _GNU_SOURCE // Package.swift defines it for every C file of the target
#endif
#include "cnamespaces.h"

#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

int nsl_nice_this_thread(int increment) {
    /* PRIO_PROCESS with a thread id names that one thread on Linux (setpriority(2), "BUGS"). */
    pid_t thread = gettid();
    errno = 0;
    int current = getpriority(PRIO_PROCESS, (id_t)thread);
    if (current == -1 && errno != 0) return -1;
    return setpriority(PRIO_PROCESS, (id_t)thread, current + increment);
}
