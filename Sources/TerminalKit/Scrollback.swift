import CVTerm

/// One cell stored compactly: 16 bytes instead of libvterm's 40, since 10,000 lines are kept by default.
/// The layout is defined in C (line_pack.h), where lines are packed.
typealias PackedCell = nslab_packed_cell

/// A line that scrolled off the top: its cells without trailing blanks, plus combining marks if any.
struct PackedLine {
    var cells: [PackedCell]
    /// Combining marks, flattened as [col, count, scalar...]; empty for almost every line.
    var combining: [UInt32]
}

/// The lines that scrolled off the top of the primary screen, oldest first, at most `capacity` of them.
///
/// A ring, so a flood costs one line copy per scrolled line and memory stays bounded.
struct Scrollback {
    let capacity: Int
    private var lines: [PackedLine] = []
    /// Index of the oldest line once the ring is full.
    private var head = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// Lines held now.
    var count: Int { lines.count }

    /// Adds the newest line, dropping the oldest when full.
    mutating func push(_ line: PackedLine) {
        guard capacity > 0 else { return }
        if lines.count < capacity {
            lines.append(line)
        } else {
            lines[head] = line
            head = (head + 1) % capacity
        }
    }

    /// Removes and returns the newest line (libvterm takes lines back when the screen grows).
    mutating func popNewest() -> PackedLine? {
        guard !lines.isEmpty else { return nil }
        if lines.count < capacity || head == 0 {
            return lines.removeLast()
        }
        // Full ring: the newest is just before head. Rotate into plain order once so removeLast works.
        lines = Array(lines[head...] + lines[..<head])
        head = 0
        return lines.removeLast()
    }

    /// The line at `index`, 0 being the oldest.
    func line(_ index: Int) -> PackedLine? {
        guard index >= 0, index < lines.count else { return nil }
        return lines[(head + index) % lines.count]
    }
}

// MARK: - Packing

extension PackedCell {
    /// Bit of `bits` set when combining marks follow the first scalar.
    static let hasCombining: UInt32 = 1 << 20

    /// True when the cell shows nothing and has no background, so trimming it loses nothing.
    var isPlainBlank: Bool {
        scalar == 0 && bg == 0 && bits & UInt32(CellAttributes.reverse.rawValue) == 0
    }

    static func unpack(_ packed: UInt32) -> TerminalColor {
        switch packed >> 24 {
        case 1: return .indexed(UInt8(truncatingIfNeeded: packed))
        case 2:
            return .rgb(
                UInt8(truncatingIfNeeded: packed >> 16), UInt8(truncatingIfNeeded: packed >> 8),
                UInt8(truncatingIfNeeded: packed))
        default: return .default
        }
    }

    var attributes: CellAttributes { CellAttributes(rawValue: UInt16(truncatingIfNeeded: bits)) }
    var width: Int { Int((bits >> 16) & 3) }
}

extension PackedLine {
    /// Packs a row libvterm pushes into scrollback, trimming trailing blanks; `scratch` holds at least `cols` cells.
    init(vterm cells: UnsafePointer<VTermScreenCell>, cols: Int, scratch: UnsafeMutablePointer<PackedCell>) {
        var hasCombining: Int32 = 0
        let used = Int(nslab_pack_line(cells, Int32(cols), scratch, &hasCombining))
        // Copying out of the scratch buffer gives an array of exactly the kept length.
        let packed = Array(UnsafeBufferPointer(start: scratch, count: used))
        var combining: [UInt32] = []
        if hasCombining != 0 {
            for col in 0..<used where packed[col].bits & PackedCell.hasCombining != 0 {
                withUnsafeBytes(of: cells[col].chars) { raw in
                    let marks = raw.bindMemory(to: UInt32.self).dropFirst().prefix { $0 != 0 }
                    combining.append(UInt32(col))
                    combining.append(UInt32(marks.count))
                    combining.append(contentsOf: marks)
                }
            }
        }
        self.init(cells: packed, combining: combining)
    }

    /// The public cell at `col`; blank past the stored end.
    func cell(_ col: Int) -> Cell {
        guard col >= 0, col < cells.count else { return .blank }
        let packed = cells[col]
        let fg = PackedCell.unpack(packed.fg)
        let bg = PackedCell.unpack(packed.bg)
        if packed.scalar == continuationScalar {
            return Cell(text: "", width: 0, attributes: packed.attributes, fg: fg, bg: bg)
        }
        var scalars = [packed.scalar]
        if packed.bits & PackedCell.hasCombining != 0 { scalars += marks(at: col) }
        let text = scalars.withUnsafeBufferPointer { Cell.text(of: $0) }
        return Cell(text: text, width: packed.width == 2 ? 2 : 1, attributes: packed.attributes, fg: fg, bg: bg)
    }

    /// The combining marks stored for `col`.
    func marks(at col: Int) -> [UInt32] {
        var index = 0
        while index + 1 < combining.count {
            let count = Int(combining[index + 1])
            if Int(combining[index]) == col {
                return Array(combining[(index + 2)..<min(index + 2 + count, combining.count)])
            }
            index += 2 + count
        }
        return []
    }

    /// Writes the line back into libvterm's cells, blank past the stored end, in the given default colours.
    func unpack(
        into cells: UnsafeMutablePointer<VTermScreenCell>, cols: Int, defaultFg: VTermColor, defaultBg: VTermColor
    ) {
        for col in 0..<cols {
            var cell = VTermScreenCell()
            cell.fg = defaultFg
            cell.bg = defaultBg
            // libvterm steps through a popped line by each cell's width, so it must be 1 or 2, never 0.
            cell.width = 1
            if col < self.cells.count {
                let packed = self.cells[col]
                cell.chars.0 = packed.scalar
                if packed.bits & PackedCell.hasCombining != 0 {
                    let marks = marks(at: col)
                    withUnsafeMutableBytes(of: &cell.chars) { raw in
                        let scalars = raw.bindMemory(to: UInt32.self)
                        for (offset, mark) in marks.prefix(scalars.count - 1).enumerated() {
                            scalars[offset + 1] = mark
                        }
                    }
                }
                // A wide character cut off by a narrower screen becomes a single column.
                cell.width = packed.width == 2 && col + 1 < cols ? 2 : 1
                if packed.width == 2 && col + 1 >= cols { cell.chars.0 = 0x20 }
                let attributes = packed.attributes
                cell.attrs.bold = attributes.contains(.bold) ? 1 : 0
                cell.attrs.underline = attributes.vtermUnderline
                cell.attrs.italic = attributes.contains(.italic) ? 1 : 0
                cell.attrs.blink = attributes.contains(.blink) ? 1 : 0
                cell.attrs.reverse = attributes.contains(.reverse) ? 1 : 0
                cell.attrs.strike = attributes.contains(.strike) ? 1 : 0
                if packed.fg != 0 { cell.fg = PackedCell.vtermColor(packed.fg) }
                if packed.bg != 0 { cell.bg = PackedCell.vtermColor(packed.bg) }
            }
            cells[col] = cell
        }
    }
}

extension PackedCell {
    /// The libvterm colour for a packed non-default colour.
    static func vtermColor(_ packed: UInt32) -> VTermColor {
        var color = VTermColor()
        switch unpack(packed) {
        case .indexed(let index): vterm_color_indexed(&color, index)
        case .rgb(let r, let g, let b): vterm_color_rgb(&color, r, g, b)
        case .default: break
        }
        return color
    }
}
