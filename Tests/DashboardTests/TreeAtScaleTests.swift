import Testing

@testable import Dashboard
@testable import NamespaceKit

/// The process tree at 20,000 processes: a key costs what the key changes, not a pass over every row.
@Suite struct TreeAtScaleTests {
    /// 20,000 rows: 100 parents of 199 sleeping children each.
    static func bigTree() -> [ProcessRow] {
        var rows: [ProcessRow] = []
        var pid: Int32 = 2
        for parent in 0..<100 {
            rows.append(ProcessRow(pid: pid, user: "root", command: "bash \(parent)", depth: 0, hasChildren: true))
            pid += 1
            for child in 0..<199 {
                rows.append(
                    ProcessRow(pid: pid, user: "root", command: "sleep \(3000 + parent * 199 + child)", depth: 1))
                pid += 1
            }
        }
        return rows
    }

    /// Guards against the visible rows being rebuilt (O(n)) for every key and every frame: at 20,000 processes
    /// that put a moved cursor on screen far beyond 50 ms. Moving, paging, searching and `n` change neither the
    /// tree nor what is collapsed, so they rebuild nothing; a collapse rebuilds once.
    @Test("arrows, PgDn, search text and n rebuild no visible rows; a collapse rebuilds them once")
    func keysDoNotRebuildTheVisibleRows() {
        var state = DashboardModel(size: TerminalSize(columns: 120, rows: 40), isRoot: true)
        state.setProcesses(Self.bigTree())
        state.focus = .processes
        #expect(state.visibleProcesses.count == 20_000)
        let before = state.visibleRebuilds
        _ = state.press(.down, .down, .pageDown, .pageDown, .up, .end, .home)
        _ = state.type("/sleep 2100")
        _ = state.press(.enter)
        _ = state.press(.character("n"), .character("n"))
        #expect(state.visibleRebuilds == before, "no key above changes what is visible")
        #expect(
            state.selectedPID.map { state.visibleProcesses[state.visibleIndex[$0]!].command.contains("2100") } == true)
        _ = state.press(.escape, .home, .left)
        #expect(state.visibleRebuilds == before + 1)
        #expect(state.visibleProcesses.count == 20_000 - 199)
        #expect(state.visibleIndex[state.visibleProcesses[1].pid] == 1)
    }

    /// Guards against the cached rows drifting from the tree: after a search expands a collapsed parent, the
    /// cache equals the rows a fresh walk of the tree gives.
    @Test("the cached visible rows follow collapse, expand and a search that opens a parent")
    func cacheFollowsTheTree() {
        var state = DashboardModel(size: TerminalSize(columns: 120, rows: 40), isRoot: true)
        state.setProcesses(Self.bigTree())
        state.focus = .processes
        state.collapsed = Set(state.processes.filter(\.hasChildren).map(\.pid))
        #expect(state.visibleProcesses.count == 100)
        state.search = ProcessSearch(query: "sleep 19000", editing: false)
        #expect(state.press(.character("n")).count == 1)
        #expect(state.visibleProcesses.count == 100 + 199, "only the hit's parent opened")
        #expect(state.visibleProcesses.map(\.pid) == Self.walk(state.processes, collapsed: state.collapsed))
        #expect(state.visibleIndex.count == state.visibleProcesses.count)
    }

    /// The visible pids by a plain walk: the reference the cache is checked against.
    static func walk(_ rows: [ProcessRow], collapsed: Set<Int32>) -> [Int32] {
        var result: [Int32] = []
        var hideDeeperThan: Int?
        for row in rows {
            if let limit = hideDeeperThan, row.depth > limit { continue }
            hideDeeperThan = nil
            result.append(row.pid)
            if row.hasChildren && collapsed.contains(row.pid) { hideDeeperThan = row.depth }
        }
        return result
    }

    /// Guards against the search matching on something other than what it did before the byte-wise search:
    /// case-insensitive in the command and the user, and the pid only as written.
    @Test("search matches command and user case-insensitively, and a pid only as written")
    func searchSemantics() {
        let row = ProcessRow(pid: 42, user: "Alice", command: "/usr/bin/Python3 -m http.server", depth: 0)
        #expect(row.matches(SearchQuery("python3")))
        #expect(row.matches(SearchQuery("ALICE")))
        #expect(row.matches(SearchQuery("42")))
        #expect(!row.matches(SearchQuery("042")))
        #expect(!row.matches(SearchQuery("perl")))
        var renamed = row
        renamed.command = "perl"
        #expect(renamed.matches(SearchQuery("PERL")))
    }
}
