#ifndef NSLAB_NSL_ROUTE_NETLINK_H
#define NSLAB_NSL_ROUTE_NETLINK_H

/*
 * One network namespace read over a NETLINK_ROUTE socket opened in it (CNamespaces' nsl_open_netns_sockets),
 * with libnl-route-3: its links, addresses, routes of the main table and, on request, neighbours. The requests
 * and the parsing are libnl's; this file only copies what nslab shows into plain structs Swift can read.
 *
 * A veth whose peer lives in another namespace carries the peer's ifindex (IFLA_LINK) and that namespace's id as
 * the reading namespace numbers it (IFLA_LINK_NETNSID). For each such link the reader also asks the kernel for
 * the peer itself (RTM_GETLINK for that ifindex with IFLA_TARGET_NETNSID): its MAC address and its own IFLA_LINK
 * then tie the two ends together without looking at names (NetworkMapReader does the matching).
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One interface (link) as RTM_NEWLINK reports it.
struct nsl_net_link {
    int32_t index;
    char name[16];
    /// IFLA_INFO_KIND ("veth", "bridge", "tun", ...); empty when the link has none (loopback, a device).
    char kind[32];
    uint32_t flags;
    uint8_t operstate;
    uint32_t mtu;
    uint32_t arptype;
    uint8_t mac[32];
    int32_t mac_length;
    /// IFLA_LINK: the peer (veth) or lower device; 0 when absent.
    int32_t link_index;
    /// 1 when IFLA_LINK_NETNSID is present: link_index then lives in the namespace with that id.
    int32_t has_link_netnsid;
    int32_t link_netnsid;
    /// IFLA_MASTER (a bridge port's bridge); 0 when none.
    int32_t master;
    uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
    /// The peer as seen through IFLA_TARGET_NETNSID: 0 read, a libnl error code (negative), or 1 not asked.
    int32_t peer_status;
    uint8_t peer_mac[32];
    int32_t peer_mac_length;
    char peer_name[16];
    /// The peer's own IFLA_LINK (this link's index when the two are a pair).
    int32_t peer_link_index;
};

/// One address (RTM_NEWADDR).
struct nsl_net_address {
    int32_t index;
    int32_t family;
    uint8_t bytes[16];
    int32_t length;
    int32_t prefix_length;
    int32_t scope;
};

/// One route of the main table (RTM_NEWROUTE), first next hop only.
struct nsl_net_route {
    int32_t family;
    int32_t destination_length;
    uint8_t destination[16];
    int32_t prefix_length;
    int32_t gateway_length;
    uint8_t gateway[16];
    int32_t index;
    uint32_t priority;
    uint8_t type;
    uint8_t scope;
    uint8_t protocol;
};

/// One neighbour entry (RTM_NEWNEIGH).
struct nsl_net_neighbour {
    int32_t index;
    int32_t family;
    uint8_t address[16];
    int32_t address_length;
    uint8_t mac[32];
    int32_t mac_length;
    int32_t state;
};

/// What one namespace's socket gave. Each part has its status: 0, or a libnl error code (negative).
struct nsl_net_reading {
    int32_t link_status;
    int32_t link_count;
    struct nsl_net_link *_Nullable links;
    int32_t address_status;
    int32_t address_count;
    struct nsl_net_address *_Nullable addresses;
    /// 1 (not asked) unless routes were requested.
    int32_t route_status;
    int32_t route_count;
    struct nsl_net_route *_Nullable routes;
    /// 1 (not asked) unless neighbours were requested.
    int32_t neighbour_status;
    int32_t neighbour_count;
    struct nsl_net_neighbour *_Nullable neighbours;
};

/// Reads the namespace behind socket_fd, which it takes over and closes. ask_peers: query each veth peer in
/// another namespace; routes: read the main table (else route_status is 1, not asked); neighbours: read the
/// neighbour table too. Fills *out (free it with nsl_net_reading_free);
/// returns 0, or a libnl error code when the socket itself could not be used (then *out holds nothing).
int nsl_net_read(int socket_fd, int ask_peers, int routes, int neighbours, struct nsl_net_reading *_Nonnull out);

/// Frees what nsl_net_read allocated; *reading is zeroed.
void nsl_net_reading_free(struct nsl_net_reading *_Nonnull reading);

/// One link's counters as RTM_GETSTATS reports them (IFLA_STATS_LINK_64).
struct nsl_net_counters {
    int32_t index;
    uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
};
/// Makes socket_fd (a NETLINK_ROUTE socket made inside a namespace) a watch of that namespace: it joins the link
/// and address notification groups, so that what changes there waits on it to be counted. Returns 0 or -errno.
int nsl_net_watch(int socket_fd);
/// Reads every link's counters over a watch socket (not closed) with one RTM_GETSTATS dump. *changed is 1 when
/// notifications came since the last call (or the kernel dropped some): links or addresses changed and the
/// namespace should be read whole. Fills *out with *count entries (free() it); returns 0 or -errno.
int nsl_net_read_counters(
    int socket_fd, struct nsl_net_counters *_Nullable *_Nonnull out, int32_t *_Nonnull count,
    int32_t *_Nonnull changed);
/// libnl's sentence for an error code (`Object not found`, `Operation not permitted`).
const char *_Nonnull nsl_net_error_text(int32_t status);

/// The errno a libnl error code stands for when there is one (EPERM for NLE_PERM), else 0.
int nsl_net_error_errno(int32_t status);

#ifdef __cplusplus
}
#endif

#endif
