#ifndef NSLAB_NSL_NETNS_SOCKETS_H
#define NSLAB_NSL_NETNS_SOCKETS_H

/*
 * NETLINK_ROUTE sockets opened inside other network namespaces, for the network map.
 *
 * A netlink socket talks to the network namespace it was created in, for as long as it lives, whichever
 * namespace its user is in later. So a helper task (helper_pipe.h: clone(CLONE_VM | CLONE_VFORK), here with
 * CLONE_FILES as well, so the fds it opens are nslab's) joins each target network namespace by its fd, creates
 * and binds one socket there and exits; nothing else happens inside. nslab then sends and parses the messages on
 * its own threads (CRouteNetlink). The caller bounds how many sockets are open at once by the size of its batches.
 */

#ifdef __cplusplus
extern "C" {
#endif

/// One namespace to open a socket in, and what came of it.
struct nsl_netns_socket {
    /// The owning user namespace, joined first by a reader that is not root (only its root may join the
    /// namespaces it owns); -1 to skip. A batch with a user_fd must hold that one request only.
    int user_fd;
    /// The network namespace (an nsfs fd: /proc/PID/ns/net, a bind mount, another process's fd).
    int net_fd;
    /// Out: the bound NETLINK_ROUTE socket (close-on-exec), now the caller's; -1 when `error` is set.
    int socket_fd;
    /// Out: 0, or the errno of the step that failed (setns: EPERM without privilege over the namespace).
    int error;
};

/// Opens one socket per request in a helper task. Returns 0 when the helper ran (each request has its own
/// result), or -1 with errno set when it could not be started (then no socket is open).
int nsl_open_netns_sockets(struct nsl_netns_socket *_Nonnull requests, int count);

/// Creates a new network namespace in a helper task (unshare(CLONE_NEWNET) after joining user_fd's user namespace
/// when the caller is not root, so that namespace owns it; -1 to skip) and returns an fd that holds it (its
/// /proc/self/ns/net, close-on-exec): the namespace lives as long as that fd or what is made inside keeps it.
/// Returns the fd, or -1 with errno set.
int nsl_create_netns(int user_fd);

#ifdef __cplusplus
}
#endif

#endif
