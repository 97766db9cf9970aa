extension Key {
    /// Where this key moves a position in a list of `last + 1` lines: one line for ↑↓ and k/j, `page` lines for
    /// PgUp/PgDn, the ends for Home/End; nil for any other key. The result stays within 0...last. The process
    /// tree's selection, the map viewer and the help all move this way.
    func movedPosition(from current: Int, last: Int, page: Int) -> Int? {
        let target: Int
        switch self {
        case .up, .character("k"): target = current - 1
        case .down, .character("j"): target = current + 1
        case .pageUp: target = current - page
        case .pageDown: target = current + page
        case .home: target = 0
        case .end: target = last
        default: return nil
        }
        return max(0, min(target, last))
    }
}
