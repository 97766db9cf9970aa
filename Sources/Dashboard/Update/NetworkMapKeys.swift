import NamespaceKit

/// The network map's keys (`W`): pure changes of `network`; the reading is the update step's, on the scan thread.
extension DashboardModel {
    /// `W`: opens the map on the namespace last under the cursor (the host's the first time) and asks for a
    /// reading at once, so the boxes show without waiting for the next refresh.
    mutating func openNetworkMap() -> [DashboardAction] {
        overlay = .network
        network.detail = false
        network.readsSinceFull = NetworkMapState.fullEvery  // what changed while it was closed shows at once
        return [.readNetwork]
    }

    /// Keys of the open map: arrows, pages, Home/End move between namespaces; Enter opens the detail; `w` wires
    /// the tab on show to the namespace under the cursor (or unwires them); Esc, `W` and `q` close. In the detail: arrows and pages scroll, Esc or Enter go back to the map, `W` and `q` close.
    mutating func handleNetworkMapKey(_ key: Key) -> [DashboardAction] {
        if network.detail {
            let last = NetworkMapView.maxDetailScroll(self)
            if let moved = key.movedPosition(from: min(network.detailScroll, last), last: last, page: 10) {
                network.detailScroll = moved
                return []
            }
            switch key {
            case .escape, .enter:
                network.detail = false
            case .character("W"), .character("q"):
                overlay = .none
                network.detail = false
            default:
                break
            }
            return []
        }
        let count = network.map?.namespaces.count ?? 0
        let page = max(1, (NetworkMapView.layout(self)?.blocks.count ?? 2) - 1)
        if let moved = key.movedPosition(from: network.cursor, last: max(0, count - 1), page: page) {
            network.cursor = moved
            if let layout = NetworkMapView.layout(self) { network.scroll = layout.scroll }
            network.keepLayout(in: NetworkMapView.area(self))
            return []
        }
        switch key {
        case .enter where network.selected != nil:
            network.detail = true
            network.detailScroll = 0
            return [.readNetwork]  // the neighbours are read for the detail
        case .character("w"):
            return wireKey()
        case .escape, .character("W"), .character("q"):
            overlay = .none
        default:
            break
        }
        return []
    }

    /// The namespaces whose boxes are on screen: only their counters are read each interval.
    var networkOnScreen: Set<UInt64> {
        guard let map = network.map, let layout = NetworkMapView.layout(self) else { return [] }
        return Set(layout.blocks.map { map.namespaces[$0.index].id })
    }
}
