#ifndef NSLAB_NSL_ROUTE_WIRING_H
#define NSLAB_NSL_ROUTE_WIRING_H

/*
 * The few rtnetlink changes the network map's wiring makes (NamespaceKit's NetworkWiring), with libnl-route-3.
 *
 * Each call takes a NETLINK_ROUTE socket opened inside the namespace it changes (CNamespaces'
 * nsl_open_netns_sockets, or nsl_create_netns for nslab's bridge namespace) and leaves it open: the fd is
 * duplicated for libnl, which closes its copy. A veth pair is created with its first end in the socket's
 * namespace and its peer directly in the namespace behind peer_netns_fd (IFLA_NET_NS_FD inside the peer's
 * attributes), so neither end is ever in nslab's own namespace. Every call returns 0 or a libnl error code
 * (negative; nsl_net_error_text words it).
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Creates the veth pair `name` (in the socket's namespace) and `peer_name` (in peer_netns_fd's).
int nsl_wire_add_veth(int socket_fd, const char *_Nonnull name, const char *_Nonnull peer_name, int peer_netns_fd);

/// Creates the bridge `name` in the socket's namespace.
int nsl_wire_add_bridge(int socket_fd, const char *_Nonnull name);

/// Makes the link `name` a port of the bridge `master` (both in the socket's namespace).
int nsl_wire_enslave(int socket_fd, const char *_Nonnull name, const char *_Nonnull master);

/// Adds the IPv4 address bytes[0..3]/prefix_length to the link `name`.
int nsl_wire_add_address(int socket_fd, const char *_Nonnull name, const uint8_t *_Nonnull bytes, int prefix_length);

/// Sets the link `name` administratively up.
int nsl_wire_set_up(int socket_fd, const char *_Nonnull name);

/// Deletes the link `name` (for a veth, its peer goes with it).
int nsl_wire_delete(int socket_fd, const char *_Nonnull name);

#ifdef __cplusplus
}
#endif

#endif
