import NamespaceKit

/// The network map (`W`): what was read, where the cursor is, and each link's recent rates. The reading itself
/// happens on the scan thread (`BackgroundScan`), asked for by the update step while the map is open.
public struct NetworkMapState: Equatable, Sendable {
    /// The latest map: from a full reading, with the counters of later readings of the boxes on screen merged in.
    public var map: NetworkMap?
    /// The namespace under the cursor, as an index into `map.namespaces`.
    public var cursor = 0
    /// The first namespace shown.
    public var scroll = 0
    /// The detail (interfaces, routes, neighbours) of the cursor's namespace is shown instead of the map.
    public var detail = false
    /// The first detail line shown.
    public var detailScroll = 0
    /// Each link's recent rates, newest last.
    public var rates: [LinkKey: [LinkRate]] = [:]
    /// Each interface's counters as last read, with when (monotonic nanoseconds): a rate is the difference over
    /// the time since that end was read, which for a box off screen is the last full reading's.
    var lastCounters: [LinkEnd: CountersRead] = [:]

    /// An interface's counters and when they were read.
    struct CountersRead: Equatable, Sendable {
        /// The counters.
        var counters: InterfaceCounters
        /// When, in monotonic nanoseconds.
        var time: UInt64
    }
    /// Readings since the last full one: every `fullEvery`-th reading is full, the others read only the boxes on
    /// screen. Full readings come sooner when something says the lines changed: the scan thread reads everything
    /// when a namespace with processes came or went or `ip netns` added or deleted a name (its directory
    /// changed); a partial reading that finds a box's interfaces changed makes the next one full, as does
    /// reopening the map or scrolling boxes into view whose interfaces changed meanwhile. So new namespaces and
    /// links show within an interval or two.
    var readsSinceFull = 0
    /// What the map's wiring key (`w`) has wired: veth pairs and bridges between the children's namespaces.
    public var wiring = WiringState()
    /// nslab's bridge namespace while a bridge needs it (its id, for the box's title and the wiring's refusals).
    public var bridgeNamespace: UInt64?

    /// Bumped by every reading taken: a layout made before it is out of date.
    var generation = 0
    /// The last layout kept, with what it was made from: each interval's frame and scan request use it instead
    /// of laying out 1,000 namespaces again.
    var keptLayout: KeptLayout?

    /// A layout and what it was made from.
    struct KeptLayout: Equatable, Sendable {
        /// The reading, cursor, scroll and area it was made for.
        var generation: Int
        var cursor: Int
        var scroll: Int
        var area: Rect
        /// The layout.
        var layout: NetworkMapLayout
    }

    /// How many rates a sparkline shows.
    public static let historyLength = 8
    /// One full reading in this many at least, for what no sign shows (a namespace held only by an fd or a bind
    /// mount outside /run/netns, links between boxes off screen): a full reading of 1,000 namespaces costs about
    /// 60-100 ms of CPU, more than a minute of idle partial readings, and the map open and idle must stay under
    /// htop's CPU (benchmarks/map-bench.sh).
    static let fullEvery = 300

    /// An empty map, before the first reading.
    public init() {}

    /// A link as a dictionary key: its kind and ends.
    public struct LinkKey: Hashable, Sendable {
        /// The link's kind.
        public var kind: NetworkLink.Kind
        /// Its ends.
        public var ends: [LinkEnd]

        /// The key of `link`.
        public init(_ link: NetworkLink) {
            kind = link.kind
            ends = link.ends
        }
    }

    /// Bytes and packets per second through a link over one interval.
    public struct LinkRate: Equatable, Sendable {
        /// Bytes per second, both directions.
        public var bytes: Double
        /// Packets per second, both directions.
        public var packets: Double

        /// A rate.
        public init(bytes: Double, packets: Double) {
            self.bytes = bytes
            self.packets = packets
        }
    }

    /// The layout in `area`: the one kept when nothing it depends on changed since, else a new one.
    public func layout(in area: Rect) -> NetworkMapLayout? {
        guard let map else { return nil }
        if let kept = keptLayout, kept.generation == generation, kept.cursor == cursor, kept.scroll == scroll,
            kept.area == area
        {
            return kept.layout
        }
        return NetworkMapLayout.make(map, cursor: cursor, scroll: scroll, in: area)
    }

    /// Makes the layout in `area` and keeps it for the frames and requests until the next change.
    mutating func keepLayout(in area: Rect) {
        guard let layout = layout(in: area) else { return }
        keptLayout = KeptLayout(generation: generation, cursor: cursor, scroll: scroll, area: area, layout: layout)
    }

    /// The namespace under the cursor.
    public var selected: NetworkNamespace? {
        guard let map, map.namespaces.indices.contains(cursor) else { return nil }
        return map.namespaces[cursor]
    }

    /// Takes a reading made at `now`: a full one replaces the map, a partial one (`full == false`) only updates
    /// the counters, states and addresses (and routes and neighbours, when read) of the namespaces it holds.
    /// Rates come from the counter deltas. True when anything the map shows changed: a partial reading of idle
    /// links (counters as before, rates as before) changes nothing, and the dashboard then draws no frame. Only a
    /// change of what the layout is made from (interfaces' states, flags, addresses) makes it out of date.
    @discardableResult
    public mutating func take(_ reading: NetworkMap, full: Bool, now: UInt64) -> Bool {
        var shownChanged = full || map == nil
        if full || map == nil {
            generation &+= 1
            let keep = selected?.id
            map = reading
            if let keep, let index = reading.namespaces.firstIndex(where: { $0.id == keep }) { cursor = index }
            cursor = max(0, min(cursor, reading.namespaces.count - 1))
        } else if var merged = map {
            map = nil  // so that `merged` holds the namespaces alone and is changed in place, not copied whole
            var positions: [UInt64: Int] = [:]
            positions.reserveCapacity(merged.namespaces.count)
            for index in merged.namespaces.indices { positions[merged.namespaces[index].id] = index }
            var contentsChanged = false
            var countersChanged = false
            for fresh in reading.namespaces {
                guard case .success(let new) = fresh.contents,
                    let position = positions[fresh.id],
                    case .success(var old) = merged.namespaces[position].contents
                else { continue }
                // Interfaces added or removed (a veth made or moved): the lines may have changed, read everything.
                if Set(old.interfaces.map(\.index)) != Set(new.interfaces.map(\.index)) {
                    readsSinceFull = Self.fullEvery
                }
                // What a box shows that changes in place: counters, state and addresses (an `ip addr add` shows
                // within an interval, not at the next full reading). A reading of counters alone leaves the rest.
                var changed = false
                for (i, interface) in old.interfaces.enumerated() {
                    guard let now = new.interface(interface.index) else { continue }
                    if interface.counters != now.counters {
                        old.interfaces[i].counters = now.counters
                        countersChanged = true
                    }
                    guard !new.countersOnly else { continue }
                    if interface.state != now.state || interface.flags != now.flags {
                        old.interfaces[i].state = now.state
                        old.interfaces[i].flags = now.flags
                        changed = true
                    }
                    if let addresses = now.addresses, addresses != interface.addresses {
                        old.interfaces[i].addresses = addresses
                        changed = true
                    }
                }
                if let neighbours = new.neighbours, neighbours != old.neighbours {
                    old.neighbours = neighbours
                    changed = true
                }
                if let routes = new.routes, routes != old.routes {
                    old.routes = routes
                    changed = true
                }
                if changed { contentsChanged = true }
                merged.namespaces[position].contents = .success(old)
            }
            map = merged
            if contentsChanged { generation &+= 1 }
            // The detail shows the cursor's counters themselves.
            shownChanged = contentsChanged || (detail && countersChanged)
        }
        return noteRates(reading, full: full, now: now) || shownChanged
    }

    /// Adds a rate to each link with an end in `reading`, from the difference to that end's counters before
    /// over the time between. Only what was read is touched (a partial reading holds the boxes on screen), so the
    /// work each interval follows the screen, not the 1,000 namespaces; a full reading also forgets links and
    /// interfaces that are gone. True when a link's rates (its label and sparkline) changed.
    @discardableResult
    mutating func noteRates(_ reading: NetworkMap, full: Bool, now: UInt64) -> Bool {
        guard let map else { return false }
        var fresh: [LinkEnd: InterfaceCounters] = [:]
        for namespace in reading.namespaces {
            for interface in namespace.interfaces ?? [] {
                fresh[LinkEnd(namespace: namespace.id, index: interface.index)] = interface.counters
            }
        }
        let read = Set(reading.namespaces.map(\.id))
        if full {
            let links = Set(map.links.map(LinkKey.init))
            rates = rates.filter { links.contains($0.key) }
            lastCounters = lastCounters.filter { fresh[$0.key] != nil }
        }
        var changed = false
        for link in map.links where link.ends.contains(where: { $0.namespace.map(read.contains) ?? false }) {
            let key = LinkKey(link)
            // The traffic of a veth pair or a port passes through its first end that can be read (both
            // directions: what one end sends the other receives, so one end says it all).
            guard let end = link.ends.first(where: { fresh[$0] != nil }), let new = fresh[end],
                let old = lastCounters[end], now > old.time
            else { continue }
            let seconds = Double(now - old.time) / 1e9
            let bytes = Double(new.rxBytes &+ new.txBytes &- old.counters.rxBytes &- old.counters.txBytes)
            let packets = Double(new.rxPackets &+ new.txPackets &- old.counters.rxPackets &- old.counters.txPackets)
            // A counter that went down (an interface made again with the same index) is no rate at all.
            let rate =
                new.rxBytes < old.counters.rxBytes || new.txBytes < old.counters.txBytes
                ? LinkRate(bytes: 0, packets: 0) : LinkRate(bytes: bytes / seconds, packets: packets / seconds)
            let before = rates[key] ?? []
            let after = Array((before + [rate]).suffix(Self.historyLength))
            if after != before {
                rates[key] = after
                changed = true
            }
        }
        for (end, counters) in fresh { lastCounters[end] = CountersRead(counters: counters, time: now) }
        return changed
    }

    /// What the next reading should be while the map is open: full (every namespace, new ones included) or only
    /// the namespaces in `onScreen`; neighbours are read for the namespace whose detail is shown.
    public mutating func nextRequest(onScreen: Set<UInt64>) -> NetworkReadRequest {
        let full = map == nil || readsSinceFull + 1 >= Self.fullEvery
        readsSinceFull = full ? 0 : readsSinceFull + 1
        let neighbours = detail ? selected?.id : nil
        var only: Set<UInt64>? = full ? nil : onScreen
        if let neighbours, !full { only = [neighbours] }
        return NetworkReadRequest(only: only, neighboursOf: neighbours)
    }
}

/// What the scan thread reads of the network for the map: every namespace (`only` nil) or those listed;
/// neighbour tables too when `neighboursOf` is set.
public struct NetworkReadRequest: Equatable, Sendable {
    /// The namespaces to read; nil for all.
    public var only: Set<UInt64>?
    /// Also read neighbour tables (for this namespace's detail).
    public var neighboursOf: UInt64?

    /// A request.
    public init(only: Set<UInt64>?, neighboursOf: UInt64?) {
        self.only = only
        self.neighboursOf = neighboursOf
    }
}
