import NamespaceKit

/// The network map `W` opens over the panels: namespaces as boxes, links as lines with their live rates, or the
/// detail of the namespace under the cursor. Draws only what `NetworkMapLayout` placed.
public enum NetworkMapView {
    /// The keys the frame and the status bar name.
    public static let hints = "↑↓ namespace · Enter detail · w wire/unwire · Esc close"
    /// The detail's keys.
    public static let detailHints = "↑↓ scroll · Esc back to the map · W close"

    /// Where the map is drawn: the whole screen above the status bar.
    public static func frame(_ state: DashboardModel) -> Rect {
        Rect(x: 0, y: 0, width: state.size.columns, height: max(0, state.layout.statusBar.y))
    }

    /// The inside of the frame, where boxes and lines go.
    public static func area(_ state: DashboardModel) -> Rect { frame(state).inset(by: 1) }

    /// The layout for the model as it stands (nil before the first reading).
    public static func layout(_ state: DashboardModel) -> NetworkMapLayout? {
        state.network.layout(in: area(state))
    }

    /// What a person recognises a namespace by: the dashboard's tab whose child is in it, else the netns name,
    /// the container, the pid and command (`NetworkNamespace.title`); the host's marked, nslab's bridge namespace
    /// (`bridge`) titled "nslab bridge".
    public static func title(of namespace: NetworkNamespace, tabs: [ChildTab], bridge: UInt64? = nil) -> String {
        if namespace.id == bridge { return "nslab bridge" }
        let tab = tabs.enumerated().first { !$0.element.closed && namespace.pids.contains($0.element.pid) }
        var title = tab.map { "tab \($0.offset + 1) " + SplitPaneView.title(of: $0.element) } ?? namespace.title
        if isHost(namespace) { title = "● HOST · " + title }
        return title
    }

    /// The host's namespace: pid 1's; where pid 1 cannot be read (a sandbox), kthreadd's, which as pid 2 is always
    /// in the initial namespaces.
    static func isHost(_ namespace: NetworkNamespace) -> Bool {
        namespace.isHost ?? (namespace.pids.contains(2) && namespace.command == "[kthreadd]")
    }

    /// Draws the map (or the detail) into the screen above the status bar.
    public static func render(_ state: DashboardModel, buffer: inout ScreenBuffer, theme: Theme) {
        let frame = frame(state)
        guard frame.width >= 10, frame.height >= 3 else { return }
        let network = state.network
        let inner = PanelFrame.draw(
            network.detail ? "Network namespace" : "Network map", in: frame, focused: true, buffer: &buffer,
            theme: theme)
        guard let map = network.map else {
            buffer.write(
                "reading the network namespaces…", x: inner.x + 1, y: inner.y, style: theme[.hint], clip: inner)
            return
        }
        if network.detail {
            renderDetail(state, in: frame, buffer: &buffer, theme: theme)
            return
        }
        if map.namespaces.isEmpty {
            buffer.write(
                "no network namespace could be found", x: inner.x + 1, y: inner.y, style: theme[.hint], clip: inner)
            return
        }
        // The layout kept since the last change (the frames of an idle map lay out nothing).
        let layout =
            network.layout(in: inner)
            ?? NetworkMapLayout.make(map, cursor: network.cursor, scroll: network.scroll, in: inner)
        renderBoxes(state, layout: layout, map: map, buffer: &buffer, theme: theme)
        renderLines(state, layout: layout, in: inner, buffer: &buffer, theme: theme)
        let first = layout.scroll + 1
        let last = layout.scroll + layout.blocks.count
        // The marker says where the view is whenever some boxes are out of it.
        let position =
            layout.blocks.count < layout.total ? "\(first)-\(last) of \(layout.total)" : layout.total == 1 ? "1 namespace" : "\(layout.total) namespaces"
        PanelFrame.marker(
            [position] + (layout.folded ? ["folded"] : []) + [hints], in: frame, focused: true, buffer: &buffer,
            theme: theme)
    }

    /// The boxes (or folded lines) and the interfaces inside.
    static func renderBoxes(
        _ state: DashboardModel, layout: NetworkMapLayout, map: NetworkMap, buffer: inout ScreenBuffer, theme: Theme
    ) {
        for block in layout.blocks {
            let namespace = map.namespaces[block.index]
            let selected = block.index == state.network.cursor
            let title = title(of: namespace, tabs: state.tabs, bridge: state.network.bridgeNamespace)
            let rect = block.rect
            if block.folded {
                let names = (namespace.interfaces ?? []).map { interface in
                    interface.name + (interface.addresses?.first { $0.family == "inet" }.map { " " + $0.text } ?? "")
                }
                let summary = namespace.interfaces == nil ? "unknown" : names.joined(separator: ", ")
                let text = DisplayWidth.truncated("▸ " + title + ": " + summary, to: rect.width - 1)
                buffer.write(text, x: rect.x, y: rect.y, style: theme[.normal], clip: rect)
                continue
            }
            let border = selected ? theme[.focusedBorder] : theme[.border]
            buffer.box(rect, style: border, title: title, titleStyle: selected ? theme[.selection] : theme[.title])
            let inside = rect.inset(by: 1)
            guard let interfaces = namespace.interfaces else {
                let why: String
                if case .failure(let failure) = namespace.contents { why = failure.description } else { why = "" }
                buffer.write(
                    DisplayWidth.truncated("unknown: " + why, to: inside.width - 1), x: inside.x + 1, y: inside.y,
                    style: theme[.hint], clip: inside)
                continue
            }
            for interface in interfaces {
                guard let y = block.rows[interface.index], y < inside.maxY else { continue }
                // Cut with an ellipsis, a blank before the border: an address must not look whole when it is not.
                let text = DisplayWidth.truncated(row(interface), to: max(1, inside.width - 2))
                buffer.write(text, x: inside.x + 1, y: y, style: theme[.normal], clip: inside)
            }
        }
    }

    /// An interface's row in its box: name, state and addresses.
    static func row(_ interface: NetworkInterface) -> String {
        let name = DisplayWidth.padded(DisplayWidth.truncated(interface.name, to: 10), to: 10)
        let state = interface.isUp ? "up  " : "down"
        let addresses = interface.addresses.map { $0.map(\.text).joined(separator: " ") } ?? "?"
        return "\(name) \(state) \(addresses)"
    }

    /// The links: each end's row joined by a horizontal run to its lane, the lane's vertical part between
    /// them, and the rate on the first end's row.
    static func renderLines(
        _ state: DashboardModel, layout: NetworkMapLayout, in area: Rect, buffer: inout ScreenBuffer, theme: Theme
    ) {
        let style = theme[.border]
        // Verticals first, so the horizontals that cross them become crossings.
        for line in layout.lines {
            guard let laneX = line.laneX, let span = NetworkMapLayout.span(line, area) else { continue }
            for y in span { buffer.write("│", x: laneX, y: y, style: style, clip: area) }
            if line.ends.contains(.above) { buffer.write("↑", x: laneX, y: area.y, style: style, clip: area) }
            if line.ends.contains(.below) { buffer.write("↓", x: laneX, y: area.maxY - 1, style: style, clip: area) }
        }
        for line in layout.lines {
            let span = NetworkMapLayout.span(line, area)
            for end in line.ends {
                guard case .row(let y) = end else { continue }
                let block = layout.blocks.first { $0.rect.y <= y && y < $0.rect.maxY }
                let start = block.map { $0.folded ? $0.rect.maxX : $0.rect.maxX - 1 } ?? (area.x + layout.boxWidth)
                let stop = line.laneX ?? (layout.labelX + NetworkMapLayout.labelWidth - 1)
                for x in start..<stop {
                    let crossing = buffer[x, y].text == "│" && x > layout.labelX
                    buffer.write(crossing ? "┼" : "─", x: x, y: y, style: style, clip: area)
                }
                if let block, !block.folded { buffer.write("├", x: start, y: y, style: style, clip: area) }
                if let laneX = line.laneX, let span {
                    let corner =
                        span.lowerBound == span.upperBound
                        ? "─" : y == span.lowerBound ? "┐" : y == span.upperBound ? "┘" : "┤"
                    buffer.write(corner, x: laneX, y: y, style: style, clip: area)
                }
            }
            let label = " " + rateLabel(state.network.rates[NetworkMapState.LinkKey(line.link)]) + " "
            buffer.write(
                DisplayWidth.truncated(label, to: NetworkMapLayout.labelWidth - 1), x: layout.labelX, y: line.labelRow,
                style: theme[.normal], clip: area)
        }
    }

    /// "1.2 kB/s 14 p/s ▁▂▅█": the newest rate and a sparkline of the recent ones; "…" before two readings.
    public static func rateLabel(_ rates: [NetworkMapState.LinkRate]?) -> String {
        guard let rates, let newest = rates.last else { return "…" }
        return bytesPerSecond(newest.bytes) + " " + String(Int(newest.packets.rounded())) + " p/s " + sparkline(rates)
    }

    /// Bytes per second in B, kB, MB or GB (powers of 1000, as `ip -h` prints them).
    public static func bytesPerSecond(_ value: Double) -> String {
        let units = ["B/s", "kB/s", "MB/s", "GB/s"]
        var scaled = max(0, value)
        var unit = 0
        while scaled >= 1000, unit < units.count - 1 {
            scaled /= 1000
            unit += 1
        }
        let tenths = Int((scaled * 10).rounded())
        let number = unit == 0 ? String(Int(scaled.rounded())) : "\(tenths / 10).\(tenths % 10)"
        return number + " " + units[unit]
    }

    /// The rates' bytes as bars, scaled to the highest (a link with no traffic is a row of the lowest bar).
    public static func sparkline(_ rates: [NetworkMapState.LinkRate]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        let highest = rates.map(\.bytes).max() ?? 0
        return String(
            rates.map { rate in
                guard highest > 0 else { return bars[0] }
                return bars[min(bars.count - 1, Int((rate.bytes / highest) * Double(bars.count - 1)))]
            })
    }

    // MARK: detail

    /// The detail's lines: the namespace, each interface with its addresses and counters, routes, neighbours.
    public static func detailLines(_ namespace: NetworkNamespace, tabs: [ChildTab], bridge: UInt64? = nil) -> [String] {
        var lines = [title(of: namespace, tabs: tabs, bridge: bridge) + "  net:[\(namespace.id)]"]
        if !namespace.names.isEmpty { lines.append("ip netns: " + namespace.names.joined(separator: ", ")) }
        if !namespace.pids.isEmpty {
            let shown = namespace.pids.prefix(8).map(String.init).joined(separator: " ")
            lines.append("pids: " + shown + (namespace.pids.count > 8 ? " … (\(namespace.pids.count))" : ""))
        }
        let contents: NetworkContents
        switch namespace.contents {
        case .failure(let failure):
            return lines + ["unknown: " + failure.description]
        case .success(let read):
            contents = read
        }
        lines.append("Interfaces")
        for interface in contents.interfaces {
            var head = "  \(interface.name)  \(interface.kind)  \(interface.isUp ? "up" : "down")  mtu \(interface.mtu)"
            if let mac = interface.mac { head += "  " + mac }
            if let peer = interface.peer {
                head += "  peer " + (peer.name ?? "#\(peer.index)") + (peer.namespace.map { " in net:[\($0)]" } ?? "")
            }
            if let master = interface.master, let bridge = contents.interface(master) {
                head += "  port of " + bridge.name
            }
            lines.append(head)
            let addresses = interface.addresses.map { $0.map(\.text).joined(separator: " ") } ?? "addresses unknown"
            if !addresses.isEmpty { lines.append("      " + addresses) }
            let counters = interface.counters
            lines.append(
                "      rx \(counters.rxBytes) B \(counters.rxPackets) pkts · tx \(counters.txBytes) B \(counters.txPackets) pkts"
            )
        }
        lines.append("Routes")
        let routes = contents.routes ?? []
        if routes.isEmpty { lines.append(contents.routes == nil ? "  unknown" : "  none") }
        for route in routes {
            var text = "  " + (route.destination ?? "default")
            if let gateway = route.gateway { text += " via " + gateway }
            if let index = route.interfaceIndex { text += " dev " + (contents.interface(index)?.name ?? "#\(index)") }
            if route.metric != 0 { text += " metric \(route.metric)" }
            lines.append(text)
        }
        lines.append("Neighbours")
        guard let neighbours = contents.neighbours else { return lines + ["  reading…"] }
        if neighbours.isEmpty { lines.append("  none") }
        for neighbour in neighbours {
            let device = contents.interface(neighbour.interfaceIndex)?.name ?? "#\(neighbour.interfaceIndex)"
            lines.append(
                "  \(neighbour.address)" + (neighbour.mac.map { " lladdr " + $0 } ?? "")
                    + " \(neighbour.state) dev \(device)")
        }
        return lines
    }

    /// Draws the detail of the namespace under the cursor, scrolled.
    static func renderDetail(_ state: DashboardModel, in frame: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        let inner = frame.inset(by: 1)
        guard let namespace = state.network.selected else { return }
        let lines = detailLines(namespace, tabs: state.tabs, bridge: state.network.bridgeNamespace)
        let top = min(state.network.detailScroll, max(0, lines.count - inner.height))
        for (offset, line) in lines.dropFirst(top).prefix(inner.height).enumerated() {
            let heading = !line.hasPrefix(" ") && offset + top > 0
            buffer.write(
                DisplayWidth.truncated(line, to: inner.width - 1), x: inner.x + 1, y: inner.y + offset,
                style: heading ? theme[.title] : theme[.normal], clip: inner)
        }
        let position =
            lines.count > inner.height
            ? "\(top + 1)-\(min(lines.count, top + inner.height)) of \(lines.count)" : "detail"
        PanelFrame.marker([position, detailHints], in: frame, focused: true, buffer: &buffer, theme: theme)
    }

    /// The most the detail scrolls in this model's screen.
    public static func maxDetailScroll(_ state: DashboardModel) -> Int {
        guard let namespace = state.network.selected else { return 0 }
        return max(0, detailLines(namespace, tabs: state.tabs, bridge: state.network.bridgeNamespace).count - area(state).height)
    }
}
