extension JSONWriter {
    /// `nslab net --json`: the namespaces and the links between them (schema in docs/json.md). A namespace that
    /// could not be read has `interfaces` and `routes` null and its `error`; it is never written as empty.
    public mutating func writeNetworkMap(_ map: NetworkMap) {
        beginObject()
        key("namespaces")
        beginArray()
        for namespace in map.namespaces { writeNetworkNamespace(namespace) }
        endArray()
        key("links")
        beginArray()
        for link in map.links {
            beginObject()
            key("kind")
            string(link.kind.rawValue)
            key("ends")
            beginArray()
            for end in link.ends {
                beginObject()
                key("ns")
                if let namespace = end.namespace { number(namespace) } else { null() }
                key("index")
                number(end.index)
                let name = end.namespace.flatMap { map.namespace($0)?.interfaces?.first { $0.index == end.index }?.name }
                key("name")
                if let name { string(name) } else { null() }
                endObject()
            }
            endArray()
            endObject()
        }
        endArray()
        endObject()
    }

    private mutating func writeNetworkNamespace(_ namespace: NetworkNamespace) {
        beginObject()
        key("ns")
        number(namespace.id)
        key("host")
        if let host = namespace.isHost { bool(host) } else { null() }
        key("nslab")
        bool(namespace.isOwn)
        key("title")
        string(namespace.title)
        key("netns_names")
        strings(namespace.names)
        key("pids")
        numbers(namespace.pids)
        key("command")
        if let command = namespace.command { string(command) } else { null() }
        key("container")
        if let container = namespace.container { string(container) } else { null() }
        switch namespace.contents {
        case .failure(let failure):
            key("error")
            string(failure.description)
            key("interfaces")
            null()
            key("routes")
            null()
        case .success(let contents):
            key("error")
            null()
            key("interfaces")
            beginArray()
            for interface in contents.interfaces { writeInterface(interface) }
            endArray()
            key("routes")
            if let routes = contents.routes {
                beginArray()
                for route in routes { writeRoute(route) }
                endArray()
            } else {
                null()
            }
            if let neighbours = contents.neighbours {
                key("neighbours")
                beginArray()
                for neighbour in neighbours {
                    beginObject()
                    key("index")
                    number(neighbour.interfaceIndex)
                    key("address")
                    string(neighbour.address)
                    key("mac")
                    if let mac = neighbour.mac { string(mac) } else { null() }
                    key("state")
                    string(neighbour.state)
                    endObject()
                }
                endArray()
            }
        }
        endObject()
    }

    private mutating func writeInterface(_ interface: NetworkInterface) {
        beginObject()
        key("index")
        number(interface.index)
        key("name")
        string(interface.name)
        key("kind")
        string(interface.kind)
        key("up")
        bool(interface.isUp)
        key("state")
        string(interface.state)
        key("flags")
        number(interface.flags)
        key("mtu")
        number(interface.mtu)
        key("mac")
        if let mac = interface.mac { string(mac) } else { null() }
        key("master")
        if let master = interface.master { number(master) } else { null() }
        key("peer")
        if let peer = interface.peer {
            beginObject()
            key("index")
            number(peer.index)
            key("netnsid")
            if let netnsid = peer.netnsid { number(netnsid) } else { null() }
            key("ns")
            if let namespace = peer.namespace { number(namespace) } else { null() }
            key("name")
            if let name = peer.name { string(name) } else { null() }
            endObject()
        } else {
            null()
        }
        key("addresses")
        if let addresses = interface.addresses {
            beginArray()
            for address in addresses {
                beginObject()
                key("family")
                string(address.family)
                key("address")
                string(address.address)
                key("prefixlen")
                number(address.prefixLength)
                key("scope")
                string(address.scope)
                endObject()
            }
            endArray()
        } else {
            null()
        }
        key("stats")
        beginObject()
        key("rx_bytes")
        number(interface.counters.rxBytes)
        key("tx_bytes")
        number(interface.counters.txBytes)
        key("rx_packets")
        number(interface.counters.rxPackets)
        key("tx_packets")
        number(interface.counters.txPackets)
        endObject()
        endObject()
    }

    private mutating func writeRoute(_ route: NetworkRoute) {
        beginObject()
        key("family")
        string(route.family)
        key("dst")
        string(route.destination ?? "default")
        key("gateway")
        if let gateway = route.gateway { string(gateway) } else { null() }
        key("index")
        if let index = route.interfaceIndex { number(index) } else { null() }
        key("metric")
        number(route.metric)
        endObject()
    }
}
