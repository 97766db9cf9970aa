import NamespaceKit

/// Where the network map puts things: a column of namespace boxes (each interface a row, its addresses beside
/// it), and right of them one vertical lane per link joining the rows of the two interfaces it links. When the
/// boxes do not all fit, every namespace but the cursor's is folded to one line; the column scrolls so the
/// cursor's box shows. Pure: the map and the cursor in, positions out, so tests check them without a terminal.
public struct NetworkMapLayout: Equatable, Sendable {
    /// One namespace on screen.
    public struct Block: Equatable, Sendable {
        /// Its index in the map's namespaces.
        public var index: Int
        /// Its box (one row when folded).
        public var rect: Rect
        /// Folded to one line.
        public var folded: Bool
        /// The row of each interface, by index (all on the one row when folded).
        public var rows: [Int32: Int]
    }

    /// Where one end of a line is.
    public enum EndPlace: Equatable, Sendable {
        /// On this row of the screen.
        case row(Int)
        /// In a namespace scrolled out of view above or below.
        case above, below
        /// In a namespace that is not on the map (nslab could not identify or read it).
        case unknown
    }

    /// A link as drawn: its ends' places, and the lane its vertical part takes (nil: no room for a lane).
    public struct Line: Equatable, Sendable {
        /// The link.
        public var link: NetworkLink
        /// Its two ends' places, in the link's order.
        public var ends: [EndPlace]
        /// The column of its vertical part, when it has one.
        public var laneX: Int?
        /// The row its rate is written on (the first end on screen).
        public var labelRow: Int
    }

    /// The namespaces on screen, top to bottom.
    public var blocks: [Block]
    /// The links with at least one end on screen.
    public var lines: [Line]
    /// How many namespaces there are in all, and the first shown (the position marker's numbers).
    public var total: Int
    /// The first namespace shown.
    public var scroll: Int
    /// True when the namespaces other than the cursor's are folded to one line.
    public var folded: Bool
    /// The boxes' width; labels and lanes are to the right of it.
    public var boxWidth: Int
    /// Where the rate labels start.
    public var labelX: Int

    /// Columns a rate label takes ("12.3 kB/s 45 p/s ▁▂▃▄▅▆▇█" and its line ends).
    static let labelWidth = 27

    /// The layout of `map` in `area` with the cursor on namespace `cursor`, starting from `scroll` (moved so the
    /// cursor's box shows).
    public static func make(_ map: NetworkMap, cursor: Int, scroll given: Int, in area: Rect) -> NetworkMapLayout {
        let count = map.namespaces.count
        let boxWidth = max(20, min(60, area.width - 36, area.width))
        let labelX = area.x + boxWidth + 1
        var layout = NetworkMapLayout(
            blocks: [], lines: [], total: count, scroll: 0, folded: false, boxWidth: boxWidth, labelX: labelX)
        guard count > 0, area.height > 0 else { return layout }
        let cursor = max(0, min(cursor, count - 1))
        // Heights are worked out only for the boxes looked at (the first screenful, those near the cursor): a
        // layout is made for every frame and key, and there may be 1,000 namespaces.
        var fullHeights = [Int?](repeating: nil, count: count)
        func fullHeightAt(_ index: Int) -> Int {
            if let known = fullHeights[index] { return known }
            let height = fullHeight(map.namespaces[index])
            fullHeights[index] = height
            return height
        }
        // Folding when the boxes overflow: summing stops at the first overflow.
        var sum = 0
        for index in 0..<count {
            sum += fullHeightAt(index)
            if sum > area.height { break }
        }
        let folded = sum > area.height
        layout.folded = folded
        func height(_ index: Int) -> Int { folded && index != cursor ? 1 : min(fullHeightAt(index), area.height) }
        // The first shown: no later than the cursor, early enough that the cursor's box fits, and no later than
        // needed (after End, the last boxes fill the screen rather than leaving it empty below).
        var scroll = max(0, min(given, cursor))
        func fits(from first: Int, through last: Int) -> Bool {
            var used = 0
            for index in first...last {
                used += height(index)
                if used > area.height { return false }
            }
            return true
        }
        while scroll < cursor, !fits(from: scroll, through: cursor) { scroll += 1 }
        func tailFits(from first: Int) -> Bool {
            var used = 0
            for index in first..<count {
                used += height(index)
                if used > area.height { return false }
            }
            return true
        }
        while scroll > 0, tailFits(from: scroll - 1) { scroll -= 1 }
        layout.scroll = scroll
        var y = area.y
        var index = scroll
        while index < count, y + height(index) <= area.maxY {
            let namespace = map.namespaces[index]
            let isFolded = folded && index != cursor
            let rect = Rect(x: area.x, y: y, width: boxWidth, height: height(index))
            var rows: [Int32: Int] = [:]
            for (offset, interface) in (namespace.interfaces ?? []).enumerated() {
                rows[interface.index] = isFolded ? y : min(rect.maxY - 2, y + 1 + offset)
            }
            layout.blocks.append(Block(index: index, rect: rect, folded: isFolded, rows: rows))
            y += rect.height
            index += 1
        }
        layout.lines = lines(map, blocks: layout.blocks, area: area, labelX: labelX)
        return layout
    }

    /// A box's height unfolded: its border and one row per interface (one for a namespace that could not be
    /// read, saying why).
    static func fullHeight(_ namespace: NetworkNamespace) -> Int {
        2 + max(1, namespace.interfaces?.count ?? 1)
    }

    /// The links to draw, each with the lane its vertical part takes (lanes are reused by lines that do not
    /// overlap, first come first served from the top).
    static func lines(_ map: NetworkMap, blocks: [Block], area: Rect, labelX: Int) -> [Line] {
        guard let first = blocks.first, let last = blocks.last else { return [] }
        var blockOf: [UInt64: Block] = [:]
        for block in blocks { blockOf[map.namespaces[block.index].id] = block }
        // Only links with an end on screen are drawn; the others are passed over before anything is worked out.
        let shown = map.links.filter { link in link.ends.contains { $0.namespace.map { blockOf[$0] != nil } ?? false } }
        guard !shown.isEmpty else { return [] }
        var position: [UInt64: Int] = [:]
        position.reserveCapacity(map.namespaces.count)
        for index in map.namespaces.indices { position[map.namespaces[index].id] = index }
        func place(_ end: LinkEnd) -> EndPlace {
            guard let id = end.namespace, let index = position[id] else { return .unknown }
            if let block = blockOf[id] {
                guard let row = block.rows[end.index] else { return .unknown }
                return .row(row)
            }
            return index < first.index ? .above : index > last.index ? .below : .unknown
        }
        var drawn: [Line] = []
        for link in shown {
            let ends = link.ends.map(place)
            let rows = ends.compactMap { if case .row(let y) = $0 { y } else { nil } }
            guard let labelRow = rows.first else { continue }
            drawn.append(Line(link: link, ends: ends, laneX: nil, labelRow: labelRow))
        }
        // Lanes: a line spans from its top to its bottom (an end out of view reaches the area's edge).
        let firstLane = labelX + labelWidth
        let laneCount = max(0, (area.maxX - firstLane) / 2)
        var laneEnds: [Int] = Array(repeating: Int.min, count: laneCount)
        let tops = drawn.map { span($0, area)?.lowerBound ?? Int.min }
        let order = drawn.indices.sorted { tops[$0] < tops[$1] }
        for index in order {
            guard let range = span(drawn[index], area), range.lowerBound < range.upperBound else { continue }
            guard let lane = laneEnds.firstIndex(where: { $0 < range.lowerBound }) else { continue }
            laneEnds[lane] = range.upperBound
            drawn[index].laneX = firstLane + 2 * lane
        }
        return drawn
    }

    /// The rows a line's vertical part covers; nil when it needs none (an end in an unknown namespace, or both
    /// ends on one row).
    static func span(_ line: Line, _ area: Rect) -> ClosedRange<Int>? {
        var ys: [Int] = []
        for end in line.ends {
            switch end {
            case .row(let y): ys.append(y)
            case .above: ys.append(area.y)
            case .below: ys.append(area.maxY - 1)
            case .unknown: return nil
            }
        }
        guard let low = ys.min(), let high = ys.max(), ys.count == 2 else { return nil }
        return low...high
    }
}
