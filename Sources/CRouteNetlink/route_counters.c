/*
 * The network map's readings between full ones (see nsl_route_netlink.h): a NETLINK_ROUTE socket kept open in a
 * namespace, joined to its link and address notification groups, over which one RTM_GETSTATS dump gives every
 * link's counters. Plain netlink, no libnl: the one request and its one attribute are all there is, and the
 * notifications that arrive in between must be counted, not parsed.
 */
#include "nsl_route_netlink.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

int nsl_net_watch(int socket_fd) {
    static const int groups[] = {RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR};
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        if (setsockopt(socket_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &groups[i], sizeof groups[i]) != 0)
            return -errno;
    }
    /* A dump always ends with NLMSG_DONE; the time-out only bounds a kernel that never answers. */
    struct timeval limit = {.tv_sec = 2, .tv_usec = 0};
    if (setsockopt(socket_fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) != 0) return -errno;
    return 0;
}

/* Appends one RTM_NEWSTATS message's counters to *list. */
static int take_stats(struct nlmsghdr *header, struct nsl_net_counters **list, int32_t *count, int32_t *capacity) {
    if (header->nlmsg_len < NLMSG_LENGTH(sizeof(struct if_stats_msg))) return 0;
    struct if_stats_msg *message = NLMSG_DATA(header);
    struct rtattr *attribute = (struct rtattr *)((char *)message + NLMSG_ALIGN(sizeof *message));
    int left = (int)header->nlmsg_len - (int)NLMSG_LENGTH(NLMSG_ALIGN(sizeof *message));
    for (; RTA_OK(attribute, left); attribute = RTA_NEXT(attribute, left)) {
        if (attribute->rta_type != IFLA_STATS_LINK_64) continue;
        struct rtnl_link_stats64 stats;
        memset(&stats, 0, sizeof stats);
        size_t length = RTA_PAYLOAD(attribute);
        memcpy(&stats, RTA_DATA(attribute), length < sizeof stats ? length : sizeof stats);
        if (*count == *capacity) {
            int32_t grown = *capacity ? *capacity * 2 : 16;
            struct nsl_net_counters *larger = realloc(*list, (size_t)grown * sizeof **list);
            if (larger == NULL) return -ENOMEM;
            *list = larger;
            *capacity = grown;
        }
        struct nsl_net_counters *entry = &(*list)[(*count)++];
        entry->index = (int32_t)message->ifindex;
        entry->rx_bytes = stats.rx_bytes;
        entry->tx_bytes = stats.tx_bytes;
        entry->rx_packets = stats.rx_packets;
        entry->tx_packets = stats.tx_packets;
        return 0;
    }
    return 0;
}

int nsl_net_read_counters(int socket_fd, struct nsl_net_counters **out, int32_t *count, int32_t *changed) {
    static _Thread_local uint32_t sequence;
    char buffer[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
    *out = NULL;
    *count = 0;
    *changed = 0;
    int32_t capacity = 0;
    /* What waits already is notifications: a link or an address added, removed, changed. */
    for (;;) {
        ssize_t got = recv(socket_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got > 0) {
            *changed = 1;
            continue;
        }
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && errno == ENOBUFS) {  /* the kernel dropped some: something changed */
            *changed = 1;
            continue;
        }
        if (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return -errno;
        break;
    }
    struct {
        struct nlmsghdr header;
        struct if_stats_msg message;
    } request;
    memset(&request, 0, sizeof request);
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = RTM_GETSTATS;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = ++sequence ? sequence : ++sequence;  /* never 0, the notifications' number */
    request.message.family = AF_UNSPEC;
    request.message.filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
    ssize_t sent;
    do sent = send(socket_fd, &request, sizeof request, 0);
    while (sent < 0 && errno == EINTR);
    if (sent < 0) return -errno;
    for (;;) {
        ssize_t got = recv(socket_fd, buffer, sizeof buffer, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && errno == ENOBUFS) {
            *changed = 1;
            continue;
        }
        int status = 0;
        if (got < 0) status = -errno;
        else if (got == 0) status = -EPIPE;
        else if ((size_t)got > sizeof buffer) status = -EMSGSIZE;
        int done = 0;
        int left = status == 0 ? (int)got : 0;
        for (struct nlmsghdr *header = (struct nlmsghdr *)buffer; status == 0 && NLMSG_OK(header, left);
             header = NLMSG_NEXT(header, left)) {
            if (header->nlmsg_seq != request.header.nlmsg_seq) {
                *changed = 1;  /* a notification between the parts of the dump */
                continue;
            }
            if (header->nlmsg_type == NLMSG_DONE) {
                done = 1;
                break;
            }
            if (header->nlmsg_type == NLMSG_ERROR) {
                struct nlmsgerr *error = NLMSG_DATA(header);
                status = header->nlmsg_len >= NLMSG_LENGTH(sizeof *error) && error->error ? error->error : -EPROTO;
                break;
            }
            if (header->nlmsg_type == RTM_NEWSTATS) status = take_stats(header, out, count, &capacity);
        }
        if (status != 0) {
            free(*out);
            *out = NULL;
            *count = 0;
            return status;
        }
        if (done) return 0;
    }
}
