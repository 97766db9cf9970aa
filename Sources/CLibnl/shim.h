// libnl-3 and libnl-route-3 (Debian 12: 3.7), for CRouteNetlink; pkg-config adds -I/usr/include/libnl3.
#ifndef NSLAB_CLIBNL_SHIM_H
#define NSLAB_CLIBNL_SHIM_H
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <netlink/route/neighbour.h>
#endif
