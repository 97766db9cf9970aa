/// Hands out ncurses colour pairs for (foreground, background) numbers, remembering the ones made.
///
/// Terminals have a fixed number of pairs. When they are used up, `pair` returns nil: the backend then
/// resets the table and ncurses' pairs together and redraws the screen, so it never runs out.
struct ColorPairTable {
    /// Pairs 1..<limit can be made (pair 0 is the terminal's default colours).
    let limit: Int32
    private var known: [Int64: Int32] = [:]
    private var next: Int32 = 1

    /// A table for a terminal with `limit` pairs (ncurses' COLOR_PAIRS).
    init(limit: Int32) {
        self.limit = max(1, limit)
    }

    /// The result of asking for a pair.
    enum Lookup: Equatable {
        /// Already made.
        case existing(Int32)
        /// Newly assigned: the caller must init_extended_pair it.
        case new(Int32)
        /// No pair left: reset, then ask again.
        case full
    }

    /// The pair for `fg` on `bg` (ncurses colour numbers, -1 the default).
    mutating func pair(foreground fg: Int32, background bg: Int32) -> Lookup {
        if fg == -1 && bg == -1 { return .existing(0) }
        let key = Int64(fg) << 32 | Int64(UInt32(bitPattern: bg))
        if let pair = known[key] { return .existing(pair) }
        guard next < limit else { return .full }
        known[key] = next
        next += 1
        return .new(next - 1)
    }

    /// Forgets every pair (after ncurses' reset_color_pairs).
    mutating func reset() {
        known = [:]
        next = 1
    }
}
