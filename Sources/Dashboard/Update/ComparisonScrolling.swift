/// Scrolling the Host vs child panel: eight rows, some on two lines, and an open explanation do not fit its
/// ten rows at 120x35 (nor its eight at 100x30). The cursor's row stays in view as it moves, PgUp/PgDn and the
/// wheel scroll by pages and lines, and a lesson step about a row brings that row into view once.
extension DashboardModel {
    /// The panel's inside, when it is on screen.
    var comparisonViewport: Rect? { layout.panels[.comparison].map { $0.inset(by: 1) } }

    /// The panel's text as it is drawn now, with the viewport's height; nil while the panel is off screen or
    /// has nothing to compare.
    func comparisonText() -> (text: ComparisonPanel.Text, height: Int)? {
        guard let view = comparison.view, let inner = comparisonViewport, inner.width > 0, inner.height > 0 else {
            return nil
        }
        return (ComparisonPanel.text(view, width: inner.width, height: inner.height, ascii: asciiGlyphs), inner.height)
    }

    /// Keys of the panel: the row keys (`ComparisonState.handle`), then the scroll follows the cursor and an
    /// explanation just opened; PgUp/PgDn scroll a page, leaving the cursor where it is.
    mutating func handleComparisonKey(_ key: Key) -> [DashboardAction] {
        if key == .pageUp || key == .pageDown {
            scrollComparison(pages: key == .pageUp ? -1 : 1)
            return []
        }
        let before = (comparison.cursor, comparison.expanded)
        guard comparison.handle(key), (comparison.cursor, comparison.expanded) != before,
            let (text, height) = comparisonText()
        else { return [] }
        let current = ComparisonPanel.firstLine(scroll: comparison.scroll, lineCount: text.lines.count, height: height)
        // The cursor's row and as much of its open explanation as fits; the row itself first.
        let end = text.cursorLine + text.cursorCount + text.explanationCount
        comparison.scroll = Self.scrolled(current, toShow: text.cursorLine..<end, height: height)
        return []
    }

    /// Scrolls by whole pages (a page keeps one line of context), within range.
    mutating func scrollComparison(pages: Int) {
        guard let (_, height) = comparisonText() else { return }
        scrollComparison(lines: pages * max(1, height - 1))
    }

    /// Scrolls by `lines`, within range (the wheel scrolls one).
    mutating func scrollComparison(lines: Int) {
        guard let (text, height) = comparisonText() else { return }
        let current = ComparisonPanel.firstLine(scroll: comparison.scroll, lineCount: text.lines.count, height: height)
        comparison.scroll = ComparisonPanel.firstLine(
            scroll: current + lines, lineCount: text.lines.count, height: height)
    }

    /// The first line to show so that `lines` are in view, moving as little as possible from `current`; when they
    /// do not all fit, their start is shown.
    static func scrolled(_ current: Int, toShow lines: Range<Int>, height: Int) -> Int {
        if lines.lowerBound < current { return lines.lowerBound }
        if lines.upperBound > current + height { return min(lines.lowerBound, lines.upperBound - height) }
        return current
    }

    /// Brings the row the lesson's current step is about into view (a step with a check on the boottime offset:
    /// the time row), once per step, when the panel compares the lesson's own child. Called after every update.
    mutating func revealLessonRow() {
        guard let session = lessonShown, comparison.target == .tab(session.tabID) else { return }
        let step = session.progress.current
        let wanted = ComparisonState.RevealedStep(tabID: session.tabID, step: step)
        guard comparison.revealedStep != wanted, let row = session.lesson.steps[safe: step]?.shownRow,
            let index = comparison.latest?.rows.firstIndex(where: { $0.kind == row }),
            let (text, height) = comparisonText(), let start = text.rowStarts[safe: index],
            let count = text.rowCounts[safe: index]
        else { return }
        comparison.revealedStep = wanted
        let current = ComparisonPanel.firstLine(scroll: comparison.scroll, lineCount: text.lines.count, height: height)
        comparison.scroll = Self.scrolled(current, toShow: start..<start + count, height: height)
    }
}
