/*
 * The wiring's rtnetlink changes with libnl-route-3 (see nsl_route_wiring.h). libnl builds and sends the
 * messages and waits for each ACK; the code here only finds links by name and fills libnl's objects.
 */
#include "nsl_route_wiring.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/addr.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/socket.h>

/* A libnl socket over a copy of socket_fd (libnl closes the copy when it frees the socket); NULL on failure
 * with *status set. ACKs are on: each change waits for the kernel's answer. */
static struct nl_sock *wrap(int socket_fd, int *status) {
    int copy = fcntl(socket_fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0) {
        *status = -NLE_BAD_SOCK;
        return NULL;
    }
    struct nl_sock *socket = nl_socket_alloc();
    if (socket == NULL) {
        close(copy);
        *status = -NLE_NOMEM;
        return NULL;
    }
    *status = nl_socket_set_fd(socket, NETLINK_ROUTE, copy);
    if (*status < 0) {
        nl_socket_free(socket);
        close(copy);
        return NULL;
    }
    return socket;
}

/* The link called `name` as the kernel has it now; NULL with *status set when there is none. */
static struct rtnl_link *find(struct nl_sock *socket, const char *name, int *status) {
    struct rtnl_link *link = NULL;
    *status = rtnl_link_get_kernel(socket, 0, name, &link);
    return *status < 0 ? NULL : link;
}

int nsl_wire_add_veth(int socket_fd, const char *name, const char *peer_name, int peer_netns_fd) {
    int status = 0;
    struct nl_sock *socket = wrap(socket_fd, &status);
    if (socket == NULL) return status;
    struct rtnl_link *link = rtnl_link_veth_alloc();
    if (link == NULL) {
        nl_socket_free(socket);
        return -NLE_NOMEM;
    }
    rtnl_link_set_name(link, name);
    struct rtnl_link *peer = rtnl_link_veth_get_peer(link);
    rtnl_link_set_name(peer, peer_name);
    /* The peer is born in its namespace: the kernel creates it there (IFLA_NET_NS_FD in IFLA_INFO_DATA's
     * peer), checking CAP_NET_ADMIN over that namespace, so it is never in this socket's namespace. */
    rtnl_link_set_ns_fd(peer, peer_netns_fd);
    rtnl_link_put(peer);
    status = rtnl_link_add(socket, link, NLM_F_CREATE | NLM_F_EXCL);
    rtnl_link_veth_release(link);
    nl_socket_free(socket);
    return status;
}

int nsl_wire_add_bridge(int socket_fd, const char *name) {
    int status = 0;
    struct nl_sock *socket = wrap(socket_fd, &status);
    if (socket == NULL) return status;
    status = rtnl_link_bridge_add(socket, name);
    nl_socket_free(socket);
    return status;
}

int nsl_wire_enslave(int socket_fd, const char *name, const char *master) {
    int status = 0;
    struct nl_sock *socket = wrap(socket_fd, &status);
    if (socket == NULL) return status;
    struct rtnl_link *port = find(socket, name, &status);
    struct rtnl_link *bridge = port ? find(socket, master, &status) : NULL;
    if (port && bridge) status = rtnl_link_enslave(socket, bridge, port);
    if (port) rtnl_link_put(port);
    if (bridge) rtnl_link_put(bridge);
    nl_socket_free(socket);
    return status;
}

int nsl_wire_add_address(int socket_fd, const char *name, const uint8_t *bytes, int prefix_length) {
    int status = 0;
    struct nl_sock *socket = wrap(socket_fd, &status);
    if (socket == NULL) return status;
    struct rtnl_link *link = find(socket, name, &status);
    struct rtnl_addr *address = link ? rtnl_addr_alloc() : NULL;
    struct nl_addr *local = address ? nl_addr_build(AF_INET, bytes, 4) : NULL;
    if (link && (address == NULL || local == NULL)) status = -NLE_NOMEM;
    if (local) {
        nl_addr_set_prefixlen(local, prefix_length);
        rtnl_addr_set_ifindex(address, rtnl_link_get_ifindex(link));
        rtnl_addr_set_family(address, AF_INET);
        status = rtnl_addr_set_local(address, local);
        if (status == 0) status = rtnl_addr_add(socket, address, NLM_F_CREATE | NLM_F_EXCL);
        nl_addr_put(local);
    }
    if (address) rtnl_addr_put(address);
    if (link) rtnl_link_put(link);
    nl_socket_free(socket);
    return status;
}

int nsl_wire_set_up(int socket_fd, const char *name) {
    int status = 0;
    struct nl_sock *socket = wrap(socket_fd, &status);
    if (socket == NULL) return status;
    struct rtnl_link *link = find(socket, name, &status);
    struct rtnl_link *change = link ? rtnl_link_alloc() : NULL;
    if (link && change == NULL) status = -NLE_NOMEM;
    if (change) {
        rtnl_link_set_flags(change, IFF_UP);
        status = rtnl_link_change(socket, link, change, 0);
        rtnl_link_put(change);
    }
    if (link) rtnl_link_put(link);
    nl_socket_free(socket);
    return status;
}

int nsl_wire_delete(int socket_fd, const char *name) {
    int status = 0;
    struct nl_sock *socket = wrap(socket_fd, &status);
    if (socket == NULL) return status;
    struct rtnl_link *link = rtnl_link_alloc();
    if (link == NULL) {
        nl_socket_free(socket);
        return -NLE_NOMEM;
    }
    rtnl_link_set_name(link, name);
    status = rtnl_link_delete(socket, link);
    rtnl_link_put(link);
    nl_socket_free(socket);
    return status;
}
