import Testing

@testable import Dashboard
@testable import NamespaceKit

/// Issue 24: panels that hold more than they show say so (`1-10 of 14` on the bottom border, as the maps panel
/// did), scroll, and a lesson step about a row brings it into view.
@Suite("panels honest about what they hide")
struct PanelMarkerTests {
    /// The dashboard at `size` comparing the container view of `ComparisonFitTests`, the Host vs child panel
    /// focused.
    static func state(size: TerminalSize, expanded: NamespaceKind? = nil) -> DashboardModel {
        var state = sampleState(size: size)
        let view = ComparisonFitTests.containerView()
        state.comparison.target = .process(3100)
        state.comparison.latest = view
        state.comparison.expanded = expanded
        state.focus = .comparison
        return state
    }

    /// The Host vs child panel's text on screen.
    static func panel(_ state: DashboardModel) throws -> [String] {
        let buffer = DashboardView.render(state, theme: .builtinDefault)
        return text(of: try #require(state.layout.panels[.comparison]), in: buffer)
    }

    /// Guards against the panel hiding rows silently: at 120x35 an open explanation pushed the rows under it out
    /// of the panel with no marker.
    @Test("hidden rows are counted and named on the bottom border, and PgDn brings them into view")
    func comparisonMarker() throws {
        var state = Self.state(size: TerminalSize(columns: 120, rows: 35), expanded: .uts)
        var shown = try Self.panel(state)
        let border = try #require(shown.last)
        #expect(border.range(of: #"1-10 of \d+"#, options: .regularExpression) != nil, "\(shown)")
        #expect(border.contains("↓") && border.contains("time"), "the hidden kinds are named: \(border)")
        #expect(!shown.contains { $0.hasPrefix("│time ") })
        _ = state.handle(.key(.pageDown))
        _ = state.handle(.key(.pageDown))
        shown = try Self.panel(state)
        #expect(
            shown.contains { $0.hasPrefix("│time ") }, "PgDn scrolls to the time row:\n\(shown.joined(separator: "\n"))"
        )
        #expect(shown.last!.contains("↑") && shown.last!.contains("uts"), "\(shown.last!)")
        #expect(state.comparison.cursor == 0, "PgDn scrolls without moving the cursor")
        // Moving the cursor brings its row back.
        _ = state.handle(.key(.down))
        shown = try Self.panel(state)
        #expect(shown.contains { $0.hasPrefix("│ipc ") }, "\(shown.joined(separator: "\n"))")
        // End goes to the time row, which the scroll follows.
        _ = state.handle(.key(.end))
        shown = try Self.panel(state)
        #expect(shown.contains { $0.hasPrefix("│time ") }, "\(shown.joined(separator: "\n"))")
    }

    @Test("nothing hidden, no marker")
    func noMarkerWhenAllFit() throws {
        let shown = try Self.panel(Self.state(size: TerminalSize(columns: 160, rows: 45)))
        #expect(!shown.last!.contains(" of "), "\(shown.joined(separator: "\n"))")
        for kind in NamespaceKind.allCases { #expect(shown.contains { $0.hasPrefix("│" + kind.procName + " ") }) }
    }

    /// Guards against the tree showing a page of a long list with nothing saying where it is.
    @Test("the process tree's border says which rows are on show")
    func processMarker() throws {
        var state = sampleState(size: TerminalSize(columns: 100, rows: 30))
        let rows = (0..<200).map { ProcessRow(pid: Int32(5000 + $0), user: "root", command: "p\($0)", depth: 0) }
        state.setProcesses(rows)
        state.focus = .processes
        let rect = try #require(state.layout.panels[.processes])
        var shown = text(of: rect, in: DashboardView.render(state, theme: .builtinDefault))
        let visible = rect.height - 3  // frame and the column header
        #expect(shown.last!.contains("1-\(visible) of 200"), "\(shown.last!)")
        _ = state.handle(.key(.end))
        shown = text(of: rect, in: DashboardView.render(state, theme: .builtinDefault))
        #expect(shown.last!.contains("\(200 - visible + 1)-200 of 200"), "\(shown.last!)")
        state.setProcesses(Array(rows.prefix(3)))
        shown = text(of: rect, in: DashboardView.render(state, theme: .builtinDefault))
        #expect(!shown.last!.contains(" of "), "\(shown.last!)")
    }

    @Test("the lesson list on a short screen says which lessons are on show")
    func lessonListMarker() throws {
        var state = sampleState(size: TerminalSize(columns: 80, rows: 20))
        state.lessons = LoadedLessons(lessons: LessonProgressTests.shipped())
        state.overlay = .lessons(LessonPicker())
        let screen = DashboardView.render(state, theme: .builtinDefault).lines()
        #expect(screen.contains { $0.contains("1-14 of 15") }, "\(screen.joined(separator: "\n"))")
    }

    /// Issue 24: lesson 8 tells the learner to look at the Time row, which was below the panel's bottom. Its
    /// step's check (boottime-offset) names the row, which is brought into view once the step is current.
    @Test("a lesson step about a row brings it into view, once")
    func lessonStepRevealsRow() throws {
        let harness = try LessonProgressTests.started(
            LessonProgressTests.shipped(), number: 8, size: TerminalSize(columns: 120, rows: 35)
        ) { harness in
            // An explanation open on the uts row pushes the rows under it out of the panel.
            harness.model.comparison.expanded = .uts
        }
        let shown = try Self.panel(harness.model)
        #expect(shown.contains { $0.hasPrefix("│time ") }, "\(shown.joined(separator: "\n"))")
        // The learner scrolls back up: the same step does not pull the panel down again.
        harness.model.focus = .comparison
        harness.press(.pageUp, .pageUp)
        harness.send(.refresh)
        let after = try Self.panel(harness.model)
        #expect(after.contains { $0.hasPrefix("│uts ") } && !after.contains { $0.hasPrefix("│time ") })
    }

    @Test("a step's row: named by the file, else the row its check reads")
    func stepRows() throws {
        #expect(LessonCheck.boottimeOffset(86400).row == .time)
        #expect(LessonCheck.ownNamespace(.ipc).row == .ipc)
        #expect(LessonCheck.joinedByAnother.row == nil)
        let lesson = try LessonParser.parse(
            """
            number = 40
            name = "rows"
            title = "Rows"
            goal = "g"
            kinds = ["uts"]
            [[step]]
            command = "hostname"
            expect = "e"
            check = "hostname"
            value = "x"
            row = "time"
            [[step]]
            command = "true"
            expect = "e"
            check = "hostname"
            value = "x"
            """, file: "rows.toml")
        #expect(lesson.steps.map(\.shownRow) == [.time, .uts])
        #expect(throws: LessonError.self) {
            try LessonParser.parse(
                """
                number = 41
                name = "bad"
                title = "Bad"
                goal = "g"
                kinds = ["uts"]
                [[step]]
                command = "true"
                expect = "e"
                row = "clock"
                """, file: "bad.toml")
        }
    }
}
