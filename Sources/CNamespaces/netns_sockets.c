/*
 * NETLINK_ROUTE sockets made inside other network namespaces (see nsl_netns_sockets.h).
 *
 * The helper only makes system calls: setns, socket, bind, fstat/stat, close. It shares nslab's memory and fd
 * table; every signal is blocked in it. Root joins each namespace of the batch in turn (setns into a network
 * namespace needs CAP_SYS_ADMIN over its owner, which root has everywhere); another user joins the owning user
 * namespace first, which cannot be undone, so its batches hold one request.
 */
#include "helper_pipe.h"
#include "nsl_netns_sockets.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <sched.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct sockets_job {
    struct nsl_netns_socket *requests;
    int count;
};

/* Joins the namespace behind fd unless the helper is in it already (setns needs privilege even for one's own,
 * and an unprivileged nslab may still read its own network namespace). */
static int enter(int fd, int type, const char *own_link) {
    struct stat target, own;
    if (fstat(fd, &target) == 0 && stat(own_link, &own) == 0 && target.st_ino == own.st_ino &&
        target.st_dev == own.st_dev)
        return 0;
    return setns(fd, type);
}

static int open_route_socket(void) {
    int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (sock < 0) return -1;
    /* Bound here (port chosen by the kernel) so that the reader knows its own address from getsockname. */
    struct sockaddr_nl local;
    memset(&local, 0, sizeof local);
    local.nl_family = AF_NETLINK;
    if (bind(sock, (struct sockaddr *)&local, sizeof local) != 0) {
        int saved = errno;
        close(sock);
        errno = saved;
        return -1;
    }
    return sock;
}

static int sockets_helper(void *argument) {
    struct sockets_job *job = argument;
    for (int i = 0; i < job->count; i++) {
        struct nsl_netns_socket *request = &job->requests[i];
        if (request->user_fd >= 0 && geteuid() != 0 &&
            enter(request->user_fd, CLONE_NEWUSER, "/proc/self/ns/user") != 0) {
            request->error = errno;
            continue;
        }
        if (enter(request->net_fd, CLONE_NEWNET, "/proc/self/ns/net") != 0) {
            request->error = errno;
            continue;
        }
        request->socket_fd = open_route_socket();
        request->error = request->socket_fd < 0 ? errno : 0;
    }
    return 0;
}

int nsl_open_netns_sockets(struct nsl_netns_socket *requests, int count) {
    for (int i = 0; i < count; i++) {
        requests[i].socket_fd = -1;
        requests[i].error = ENOENT;
    }
    struct sockets_job job = {requests, count};
    if (nsl_helper_run_sharing_files(sockets_helper, &job) != 0) {
        int saved = errno;
        /* A helper that died half way may have left sockets in the shared table: they are closed here. */
        for (int i = 0; i < count; i++) {
            if (requests[i].socket_fd >= 0) close(requests[i].socket_fd);
            requests[i].socket_fd = -1;
            requests[i].error = saved;
        }
        errno = saved;
        return -1;
    }
    return 0;
}

struct create_job {
    int user_fd;
    int netns_fd;
    int error;
};

static int create_helper(void *argument) {
    struct create_job *job = argument;
    if (job->user_fd >= 0 && geteuid() != 0 && enter(job->user_fd, CLONE_NEWUSER, "/proc/self/ns/user") != 0) {
        job->error = errno;
        return 0;
    }
    if (unshare(CLONE_NEWNET) != 0) {
        job->error = errno;
        return 0;
    }
    /* The helper is a process of its own (no CLONE_THREAD): /proc/self is it, and the fd lands in nslab's table. */
    job->netns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    job->error = job->netns_fd < 0 ? errno : 0;
    return 0;
}

int nsl_create_netns(int user_fd) {
    struct create_job job = {user_fd, -1, 0};
    if (nsl_helper_run_sharing_files(create_helper, &job) != 0) {
        int saved = errno;
        if (job.netns_fd >= 0) close(job.netns_fd);
        errno = saved;
        return -1;
    }
    if (job.netns_fd < 0) {
        errno = job.error;
        return -1;
    }
    return job.netns_fd;
}
