/// A rectangle of screen cells: `rows` and `cols` are half-open ranges of the visible screen.
public struct TerminalRect: Equatable, Hashable, Sendable {
    /// Rows covered, top to bottom.
    public var rows: Range<Int>
    /// Columns covered, left to right.
    public var cols: Range<Int>

    /// Makes a rectangle from its row and column ranges.
    public init(rows: Range<Int>, cols: Range<Int>) {
        self.rows = rows
        self.cols = cols
    }
}

/// Remembers, per row, which columns changed since the renderer last asked, so it redraws only those.
///
/// Per-row spans rather than one bounding box: typing on one line and a clock on another stay two small
/// updates instead of one tall rectangle.
struct DamageTracker {
    private(set) var rows: Int
    private(set) var cols: Int
    /// For each row the damaged columns as [start, end); start == end means clean.
    private var start: [Int32]
    private var end: [Int32]
    private var anyDamage = false

    init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        start = Array(repeating: 0, count: rows)
        end = Array(repeating: 0, count: rows)
    }

    /// Forgets old damage and marks the whole new screen, as after a resize.
    mutating func resize(rows: Int, cols: Int) {
        self = DamageTracker(rows: rows, cols: cols)
        markAll()
    }

    /// Marks a rectangle, clipped to the screen (libvterm's rects can be empty or reach past a shrunk edge).
    mutating func mark(rows rowRange: Range<Int>, cols colRange: Range<Int>) {
        let top = max(rowRange.lowerBound, 0)
        let bottom = min(rowRange.upperBound, rows)
        let left = Int32(max(colRange.lowerBound, 0))
        let right = Int32(min(colRange.upperBound, cols))
        guard top < bottom, left < right else { return }
        anyDamage = true
        for row in top..<bottom {
            if start[row] == end[row] {
                start[row] = left
                end[row] = right
            } else {
                start[row] = min(start[row], left)
                end[row] = max(end[row], right)
            }
        }
    }

    /// Marks every cell, for a scrollback view change or a resize.
    mutating func markAll() {
        mark(rows: 0..<rows, cols: 0..<cols)
    }

    /// Returns the damage as rectangles, merging neighbouring rows with the same span, and clears it.
    mutating func take() -> [TerminalRect] {
        guard anyDamage else { return [] }
        var rects: [TerminalRect] = []
        var row = 0
        while row < rows {
            let left = start[row]
            let right = end[row]
            guard left < right else {
                row += 1
                continue
            }
            var last = row + 1
            while last < rows && start[last] == left && end[last] == right { last += 1 }
            rects.append(TerminalRect(rows: row..<last, cols: Int(left)..<Int(right)))
            for cleaned in row..<last {
                start[cleaned] = 0
                end[cleaned] = 0
            }
            row = last
        }
        anyDamage = false
        return rects
    }
}
