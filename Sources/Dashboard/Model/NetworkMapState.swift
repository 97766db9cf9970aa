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
    /// The counters of the reading before, per interface, with when they were read (monotonic nanoseconds).
    var lastCounters: [LinkEnd: InterfaceCounters] = [:]
    var lastRead: UInt64?
    /// Readings since the last full one: every `fullEvery`-th reading is full (namespaces held only by a name or
    /// an fd show up), the others read only the boxes on screen. The scan thread also reads everything when a
    /// namespace with processes came or went, and a partial reading that finds a box's interfaces changed makes
    /// the next one full, so new namespaces and links show within an interval or two.
    var readsSinceFull = 0
    /// What the map's wiring key (`w`) has wired: veth pairs and bridges between the children's namespaces.
    public var wiring = WiringState()
    /// nslab's bridge namespace while a bridge needs it (its id, for the box's title and the wiring's refusals).
    public var bridgeNamespace: UInt64?

    /// How many rates a sparkline shows.
    public static let historyLength = 8
    /// One full reading in this many at least: a full reading of 1,000 namespaces costs about 60 ms of CPU, and
    /// the map open and idle must stay under htop's CPU (benchmarks/map-bench.sh).
    static let fullEvery = 30

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

    /// The namespace under the cursor.
    public var selected: NetworkNamespace? {
        guard let map, map.namespaces.indices.contains(cursor) else { return nil }
        return map.namespaces[cursor]
    }

    /// Takes a reading made at `now`: a full one replaces the map, a partial one (`full == false`) only updates
    /// the counters (and neighbours, when read) of the namespaces it holds. Rates come from the counter deltas.
    public mutating func take(_ reading: NetworkMap, full: Bool, now: UInt64) {
        if full || map == nil {
            let keep = selected?.id
            map = reading
            if let keep, let index = reading.namespaces.firstIndex(where: { $0.id == keep }) { cursor = index }
            cursor = max(0, min(cursor, reading.namespaces.count - 1))
        } else if var merged = map {
            for fresh in reading.namespaces {
                guard case .success(let new) = fresh.contents,
                    let position = merged.namespaces.firstIndex(where: { $0.id == fresh.id }),
                    case .success(var old) = merged.namespaces[position].contents
                else { continue }
                // Interfaces added or removed (a veth made or moved): the lines may have changed, read everything.
                if Set(old.interfaces.map(\.index)) != Set(new.interfaces.map(\.index)) {
                    readsSinceFull = Self.fullEvery
                }
                for (i, interface) in old.interfaces.enumerated() {
                    if let now = new.interface(interface.index) { old.interfaces[i].counters = now.counters }
                }
                if new.neighbours != nil { old.neighbours = new.neighbours }
                merged.namespaces[position].contents = .success(old)
            }
            map = merged
        }
        noteRates(now: now)
    }

    /// Adds a rate to each link whose counters were read twice, from the difference over the time between.
    mutating func noteRates(now: UInt64) {
        guard let map else { return }
        var counters: [LinkEnd: InterfaceCounters] = [:]
        for namespace in map.namespaces {
            for interface in namespace.interfaces ?? [] {
                counters[LinkEnd(namespace: namespace.id, index: interface.index)] = interface.counters
            }
        }
        defer {
            lastCounters = counters
            lastRead = now
        }
        guard let before = lastRead, now > before else { return }
        let seconds = Double(now - before) / 1e9
        var kept: [LinkKey: [LinkRate]] = [:]
        for link in map.links {
            let key = LinkKey(link)
            // The traffic of a veth pair or a port passes through its first end that can be read (both
            // directions: what one end sends the other receives, so one end says it all).
            guard let end = link.ends.first(where: { counters[$0] != nil }), let new = counters[end],
                let old = lastCounters[end]
            else {
                kept[key] = rates[key]
                continue
            }
            let bytes = Double(new.rxBytes &+ new.txBytes &- old.rxBytes &- old.txBytes)
            let packets = Double(new.rxPackets &+ new.txPackets &- old.rxPackets &- old.txPackets)
            // A counter that went down (an interface made again with the same index) is no rate at all.
            let rate =
                new.rxBytes < old.rxBytes || new.txBytes < old.txBytes
                ? LinkRate(bytes: 0, packets: 0) : LinkRate(bytes: bytes / seconds, packets: packets / seconds)
            kept[key] = Array(((rates[key] ?? []) + [rate]).suffix(Self.historyLength))
        }
        rates = kept
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
