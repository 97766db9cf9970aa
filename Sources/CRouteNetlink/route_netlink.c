/*
 * A network namespace read with libnl-route-3 over a socket made inside it (see nsl_route_netlink.h).
 *
 * libnl's caches do the dumps and the parsing; the code here walks them and copies fields. It runs on nslab's
 * own threads, in nslab's namespaces: the socket alone belongs to the other namespace.
 */
#include "nsl_route_netlink.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

/* Older kernel headers call IFLA_TARGET_NETNSID IFLA_IF_NETNSID (Linux 4.15 to 4.19); the number is the same. */
#ifndef IFLA_TARGET_NETNSID
#define IFLA_TARGET_NETNSID IFLA_IF_NETNSID
#endif

static void copy_name(char *to, size_t size, const char *from) {
    if (from == NULL) return;
    strncpy(to, from, size - 1);
    to[size - 1] = 0;
}

/* Copies an nl_addr's bytes (at most `size`); returns how many. */
static int32_t copy_address(uint8_t *to, size_t size, struct nl_addr *address) {
    if (address == NULL) return 0;
    unsigned int length = nl_addr_get_len(address);
    if (length > size) length = (unsigned int)size;
    memcpy(to, nl_addr_get_binary_addr(address), length);
    return (int32_t)length;
}

static void copy_link(struct rtnl_link *link, struct nsl_net_link *out) {
    memset(out, 0, sizeof *out);
    out->index = rtnl_link_get_ifindex(link);
    copy_name(out->name, sizeof out->name, rtnl_link_get_name(link));
    copy_name(out->kind, sizeof out->kind, rtnl_link_get_type(link));
    out->flags = rtnl_link_get_flags(link);
    out->operstate = rtnl_link_get_operstate(link);
    out->mtu = rtnl_link_get_mtu(link);
    out->arptype = rtnl_link_get_arptype(link);
    out->mac_length = copy_address(out->mac, sizeof out->mac, rtnl_link_get_addr(link));
    out->link_index = rtnl_link_get_link(link);
    int32_t netnsid = 0;
    if (rtnl_link_get_link_netnsid(link, &netnsid) == 0) {
        out->has_link_netnsid = 1;
        out->link_netnsid = netnsid;
    }
    out->master = rtnl_link_get_master(link);
    out->rx_bytes = rtnl_link_get_stat(link, RTNL_LINK_RX_BYTES);
    out->tx_bytes = rtnl_link_get_stat(link, RTNL_LINK_TX_BYTES);
    out->rx_packets = rtnl_link_get_stat(link, RTNL_LINK_RX_PACKETS);
    out->tx_packets = rtnl_link_get_stat(link, RTNL_LINK_TX_PACKETS);
    out->peer_status = 1;
}

/* The peer link parsed out of the reply to a targeted RTM_GETLINK. */
static void take_peer(struct nl_object *object, void *argument) {
    struct nsl_net_link *out = argument;
    struct rtnl_link *peer = (struct rtnl_link *)object;
    out->peer_mac_length = copy_address(out->peer_mac, sizeof out->peer_mac, rtnl_link_get_addr(peer));
    copy_name(out->peer_name, sizeof out->peer_name, rtnl_link_get_name(peer));
    out->peer_link_index = rtnl_link_get_link(peer);
    out->peer_status = 0;
}

static int on_peer_message(struct nl_msg *message, void *argument) {
    int status = nl_msg_parse(message, take_peer, argument);
    return status < 0 ? NL_STOP : NL_OK;
}

/* Asks the kernel for link->link_index in the namespace link->link_netnsid names (seen from this socket's). */
static void ask_peer(struct nl_sock *socket, struct nsl_net_link *link) {
    struct nl_msg *message = nlmsg_alloc_simple(RTM_GETLINK, 0);
    if (message == NULL) {
        link->peer_status = -NLE_NOMEM;
        return;
    }
    /* One reply and no ACK after it (auto-ack is off on this socket): an ACK left unread would be taken for
     * the answer to the next request. */
    struct ifinfomsg request;
    memset(&request, 0, sizeof request);
    request.ifi_family = AF_UNSPEC;
    request.ifi_index = link->link_index;
    int status = nlmsg_append(message, &request, sizeof request, NLMSG_ALIGNTO);
    if (status == 0) status = nla_put_s32(message, IFLA_TARGET_NETNSID, link->link_netnsid);
    /* Statistics are not needed from the peer: its own namespace's reading has them. */
    if (status == 0) status = nla_put_u32(message, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
    if (status == 0) status = nl_send_auto(socket, message);
    nlmsg_free(message);
    if (status < 0) {
        link->peer_status = status;
        return;
    }
    link->peer_status = -NLE_OBJ_NOTFOUND;
    /* The reply goes to a callback set of its own; the socket's (which the caches clone) stays as it was. */
    struct nl_cb *own = nl_socket_get_cb(socket);
    struct nl_cb *callbacks = own ? nl_cb_clone(own) : NULL;
    if (own) nl_cb_put(own);
    if (callbacks == NULL) {
        link->peer_status = -NLE_NOMEM;
        return;
    }
    nl_cb_set(callbacks, NL_CB_VALID, NL_CB_CUSTOM, on_peer_message, link);
    status = nl_recvmsgs(socket, callbacks);
    nl_cb_put(callbacks);
    if (status < 0) link->peer_status = status;
}

static int read_links(struct nl_sock *socket, int ask_peers, struct nsl_net_reading *out) {
    struct nl_cache *cache = NULL;
    int status = rtnl_link_alloc_cache(socket, AF_UNSPEC, &cache);
    if (status < 0) return status;
    int count = nl_cache_nitems(cache);
    out->links = calloc((size_t)(count > 0 ? count : 1), sizeof *out->links);
    if (out->links == NULL) {
        nl_cache_free(cache);
        return -NLE_NOMEM;
    }
    int index = 0;
    for (struct nl_object *object = nl_cache_get_first(cache); object != NULL && index < count;
         object = nl_cache_get_next(object)) {
        copy_link((struct rtnl_link *)object, &out->links[index++]);
    }
    out->link_count = index;
    nl_cache_free(cache);
    if (ask_peers) {
        for (int i = 0; i < out->link_count; i++) {
            struct nsl_net_link *link = &out->links[i];
            if (link->has_link_netnsid && link->link_index > 0 && link->link_netnsid >= 0) ask_peer(socket, link);
        }
    }
    return 0;
}

static int read_addresses(struct nl_sock *socket, struct nsl_net_reading *out) {
    struct nl_cache *cache = NULL;
    int status = rtnl_addr_alloc_cache(socket, &cache);
    if (status < 0) return status;
    int count = nl_cache_nitems(cache);
    out->addresses = calloc((size_t)(count > 0 ? count : 1), sizeof *out->addresses);
    if (out->addresses == NULL) {
        nl_cache_free(cache);
        return -NLE_NOMEM;
    }
    int index = 0;
    for (struct nl_object *object = nl_cache_get_first(cache); object != NULL && index < count;
         object = nl_cache_get_next(object)) {
        struct rtnl_addr *address = (struct rtnl_addr *)object;
        struct nsl_net_address *entry = &out->addresses[index++];
        entry->index = rtnl_addr_get_ifindex(address);
        entry->family = rtnl_addr_get_family(address);
        entry->length = copy_address(entry->bytes, sizeof entry->bytes, rtnl_addr_get_local(address));
        entry->prefix_length = rtnl_addr_get_prefixlen(address);
        entry->scope = rtnl_addr_get_scope(address);
    }
    out->address_count = index;
    nl_cache_free(cache);
    return 0;
}

static int read_routes(struct nl_sock *socket, struct nsl_net_reading *out) {
    struct nl_cache *cache = NULL;
    int status = rtnl_route_alloc_cache(socket, AF_UNSPEC, 0, &cache);
    if (status < 0) return status;
    int count = nl_cache_nitems(cache);
    out->routes = calloc((size_t)(count > 0 ? count : 1), sizeof *out->routes);
    if (out->routes == NULL) {
        nl_cache_free(cache);
        return -NLE_NOMEM;
    }
    int index = 0;
    for (struct nl_object *object = nl_cache_get_first(cache); object != NULL && index < count;
         object = nl_cache_get_next(object)) {
        struct rtnl_route *route = (struct rtnl_route *)object;
        if (rtnl_route_get_table(route) != RT_TABLE_MAIN) continue;
        struct nsl_net_route *entry = &out->routes[index++];
        entry->family = rtnl_route_get_family(route);
        struct nl_addr *destination = rtnl_route_get_dst(route);
        entry->destination_length = copy_address(entry->destination, sizeof entry->destination, destination);
        entry->prefix_length = destination ? (int32_t)nl_addr_get_prefixlen(destination) : 0;
        entry->priority = rtnl_route_get_priority(route);
        entry->type = rtnl_route_get_type(route);
        entry->scope = rtnl_route_get_scope(route);
        entry->protocol = rtnl_route_get_protocol(route);
        if (rtnl_route_get_nnexthops(route) > 0) {
            struct rtnl_nexthop *hop = rtnl_route_nexthop_n(route, 0);
            entry->index = rtnl_route_nh_get_ifindex(hop);
            entry->gateway_length = copy_address(entry->gateway, sizeof entry->gateway, rtnl_route_nh_get_gateway(hop));
        }
    }
    out->route_count = index;
    nl_cache_free(cache);
    return 0;
}

static int read_neighbours(struct nl_sock *socket, struct nsl_net_reading *out) {
    struct nl_cache *cache = NULL;
    int status = rtnl_neigh_alloc_cache(socket, &cache);
    if (status < 0) return status;
    int count = nl_cache_nitems(cache);
    out->neighbours = calloc((size_t)(count > 0 ? count : 1), sizeof *out->neighbours);
    if (out->neighbours == NULL) {
        nl_cache_free(cache);
        return -NLE_NOMEM;
    }
    int index = 0;
    for (struct nl_object *object = nl_cache_get_first(cache); object != NULL && index < count;
         object = nl_cache_get_next(object)) {
        struct rtnl_neigh *neighbour = (struct rtnl_neigh *)object;
        struct nsl_net_neighbour *entry = &out->neighbours[index++];
        entry->index = rtnl_neigh_get_ifindex(neighbour);
        entry->family = rtnl_neigh_get_family(neighbour);
        entry->address_length = copy_address(entry->address, sizeof entry->address, rtnl_neigh_get_dst(neighbour));
        entry->mac_length = copy_address(entry->mac, sizeof entry->mac, rtnl_neigh_get_lladdr(neighbour));
        entry->state = rtnl_neigh_get_state(neighbour);
    }
    out->neighbour_count = index;
    nl_cache_free(cache);
    return 0;
}

int nsl_net_read(int socket_fd, int ask_peers, int routes, int neighbours, struct nsl_net_reading *out) {
    memset(out, 0, sizeof *out);
    out->route_status = 1;
    out->neighbour_status = 1;
    struct nl_sock *socket = nl_socket_alloc();
    if (socket == NULL) {
        close(socket_fd);
        return -NLE_NOMEM;
    }
    int status = nl_socket_set_fd(socket, NETLINK_ROUTE, socket_fd);
    if (status < 0) {
        nl_socket_free(socket);
        close(socket_fd);
        return status;
    }
    /* From here nl_socket_free closes the fd. The dumps end with NLMSG_DONE and need no ACK. */
    nl_socket_disable_auto_ack(socket);
    out->link_status = read_links(socket, ask_peers, out);
    out->address_status = read_addresses(socket, out);
    if (routes) out->route_status = read_routes(socket, out);
    if (neighbours) out->neighbour_status = read_neighbours(socket, out);
    nl_socket_free(socket);
    return 0;
}

void nsl_net_reading_free(struct nsl_net_reading *reading) {
    free(reading->links);
    free(reading->addresses);
    free(reading->routes);
    free(reading->neighbours);
    memset(reading, 0, sizeof *reading);
}

const char *nsl_net_error_text(int32_t status) { return nl_geterror(status < 0 ? -status : status); }

int nsl_net_error_errno(int32_t status) {
    switch (status < 0 ? -status : status) {
    case NLE_PERM: return EPERM;
    case NLE_NOACCESS: return EACCES;
    case NLE_NOMEM: return ENOMEM;
    case NLE_OBJ_NOTFOUND: return ENOENT;
    case NLE_OPNOTSUPP: return EOPNOTSUPP;
    case NLE_BAD_SOCK: return EBADF;
    default: return 0;
    }
}
