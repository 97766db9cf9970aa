/// Scrolling the uid/gid map viewer: two readers' views of several map lines, with their readings, do not
/// fit in the panel on screens shorter than 36 rows (nor ever, for a map with many ranges).
extension DashboardModel {
    /// The map viewer's inside, when the panel is on screen.
    var mapViewport: Rect? { layout.panels[.maps].map { $0.inset(by: 1) } }

    /// The highest useful `mapScroll`: the last line of the maps then sits on the panel's last row.
    var maxMapScroll: Int {
        guard let inner = mapViewport, !maps.isEmpty else { return 0 }
        return max(0, MapPanel.lines(for: maps, width: inner.width).count - inner.height)
    }

    /// Keys of the map viewer: lines, pages, top and bottom.
    mutating func handleMapsKey(_ key: Key) -> [DashboardAction] {
        let page = max(1, (mapViewport?.height ?? 1) - 1)  // a page keeps one line of context
        let last = maxMapScroll
        // The maps may have shrunk since the last key.
        if let moved = key.movedPosition(from: min(mapScroll, last), last: last, page: page) { mapScroll = moved }
        return []
    }
}
