import NamespaceKit
import Testing

@testable import Dashboard

/// The presenter layout (`P`, `--present`) on the `lab` fixture, whose child differs from the host in UTS, PID,
/// Mount, Net, User and Time and shares IPC and cgroup.
@Suite("Presenter layout")
struct PresenterTests {
    /// A projector's usual size, the smallest the layout is drawn in.
    static let projector = TerminalSize(columns: 100, rows: 30)

    /// The fixture's child launched at `size`, the keys back on the dashboard, `P` pressed.
    static func presenting(size: TerminalSize = projector) throws -> Harness {
        let harness = try FixtureScreenTests.launched(size: size)
        harness.press(.character("P"))
        return harness
    }

    @Test("at 100x30 only Host vs child and the pane are drawn, full width, and the pty has the pane's box")
    func layout() throws {
        let harness = try FixtureScreenTests.launched(size: Self.projector)
        let tab = try #require(harness.model.tabs.first)
        let screen = try #require(harness.update.panes.screen(of: tab.id))
        let before = (screen.rows, screen.cols)
        harness.press(.character("P"))
        let layout = harness.model.layout
        #expect(layout.presenter)
        #expect(Set(layout.panels.keys) == [.comparison, .child])
        let pane = try #require(layout.panels[.child])
        let comparison = try #require(layout.panels[.comparison])
        #expect(pane.width == 100 && comparison.width == 100)
        #expect(comparison.maxY == pane.y && pane.maxY == layout.statusBar.y, "\(comparison) \(pane)")
        // The child's terminal is resized to the new box, as the other layouts guarantee (PaneFit).
        let area = ChildPaneView.screenArea(in: pane)
        #expect(
            screen.rows == area.height && screen.cols == area.width, "pty \(screen.rows)x\(screen.cols) box \(area)")
        #expect(screen.rows != before.0 || screen.cols != before.1, "the ordinary layout's pane has another size")
        harness.press(.character("P"))
        #expect(!harness.model.layout.presenter)
        #expect(screen.rows == before.0 && screen.cols == before.1, "and back")
    }

    @Test(
        "at every size from 100x30 the pty follows the presenter pane's box, through resizes and a lesson's line",
        arguments: [
            TerminalSize(columns: 100, rows: 30), TerminalSize(columns: 120, rows: 35),
            TerminalSize(columns: 160, rows: 45), TerminalSize(columns: 99, rows: 40),
        ])
    func ptyFollowsTheBox(size: TerminalSize) throws {
        let harness = try LessonCheckTests.started(LessonCheckTests.lessons([.ownNamespace(.uts)]), number: 1)
        harness.press(Key.leavePane, .character("P"))
        let tab = try #require(harness.model.tabs.last)
        let screen = try #require(harness.update.panes.screen(of: tab.id))
        harness.send(.input(.resize(size)))
        let layout = harness.model.layout
        #expect(layout.presenter == DashboardLayout.fitsPresenter(size))
        #expect(layout.lessonLine != nil, "the lesson's step in one line, in the presenter and the compact layout")
        // The pane's box as drawn when it has the keys (the compact layout shows one panel at a time).
        let drawn = DashboardLayout(
            size: size, focus: .child, lessonCard: harness.model.lessonShown != nil, presenter: true)
        let area = ChildPaneView.screenArea(in: try #require(drawn.panels[.child]))
        #expect(screen.rows == area.height && screen.cols == area.width, "\(size): pty \(screen.rows)x\(screen.cols)")
    }

    @Test("the keys stay on the two panels shown: P, Tab and Ctrl-] never leave them on a hidden one")
    func focus() throws {
        let harness = try Self.presenting()
        #expect(harness.model.focus == .comparison)
        #expect(harness.model.focusablePanels == [.comparison, .child])
        harness.press(.tab)
        #expect(harness.model.focus == .child)
        harness.press(Key.leavePane)
        #expect(harness.model.focus == .comparison)
        harness.press(.backTab)  // the cycle has two panels: back is the pane again
        #expect(harness.model.focus == .child)
        // A terminal grown into the layout while the keys were on a panel it hides hands them over.
        var model = DashboardModel(size: TerminalSize(columns: 80, rows: 24), isRoot: true)
        model.presenter = true
        model.focus = .processes
        _ = model.handle(.resize(Self.projector))
        #expect(model.focus == .comparison)
    }

    /// The panel's rows as drawn at 100x30.
    static func panelLines(_ harness: Harness, theme: Theme = .builtinDefault) throws -> (
        lines: [String], buffer: ScreenBuffer, rect: Rect
    ) {
        let buffer = DashboardView.render(harness.model, theme: theme, screens: harness.update.panes)
        let rect = try #require(harness.model.layout.panels[.comparison])
        return (text(of: rect, in: buffer), buffer, rect)
    }

    @Test("every differing kind is on show with both ids whole, marked *, ≠ and bold; shared kinds only after a")
    func differingKinds() throws {
        let harness = try Self.presenting()
        let view = try #require(harness.model.comparison.view)
        let differing = view.rows.filter { $0.same == false }
        #expect(differing.map(\.kind) == [.uts, .pid, .mount, .net, .user, .time], "the fixture's story")
        for theme in snapshotThemes {
            let (lines, buffer, rect) = try Self.panelLines(harness, theme: theme)
            #expect(lines[0].contains("6 of 8 kinds differ"), "\(lines[0])")
            for row in differing {
                #expect(row.hostID.count == 12 && row.childID.count == 12, "ids like [4026531838]: \(row)")
                let start = "* " + DisplayWidth.padded(row.kind.procName, to: 8) + row.hostID + " "
                let index = try #require(lines.firstIndex { $0.contains(start) }, "\(row.kind):\n\(lines)")
                let line = lines[index]
                #expect(line.contains(" ≠ " + row.childID + " "), "\(line)")
                let column = try #require(line.range(of: start)).lowerBound
                let x = rect.x + line.distance(from: line.startIndex, to: column)
                #expect(buffer[x + 2, rect.y + index].style.attributes.contains(.bold), "\(row.kind) is bold")
            }
            for row in view.rows where row.same == true {
                #expect(!lines.contains { $0.contains("  " + DisplayWidth.padded(row.kind.procName, to: 8) + "[") })
            }
        }
        harness.press(.character("a"))
        let (lines, _, _) = try Self.panelLines(harness)
        for row in view.rows {
            let mark = row.same == true ? "  " : "* "
            #expect(lines.contains { $0.contains(mark + DisplayWidth.padded(row.kind.procName, to: 8) + row.hostID) })
        }
        #expect(lines.contains { $0.contains(" = ") }, "a shared kind is marked =")
        expectSnapshot(
            DashboardView.render(harness.model, theme: .builtinMono, screens: harness.update.panes),
            named: "presenter-all-100x30")
    }

    @Test("on a terminal without UTF-8 every differing kind is marked * and != in the column of ≠")
    func asciiMarks() throws {
        let harness = try Self.presenting()
        harness.model.asciiGlyphs = true
        let view = try #require(harness.model.comparison.view)
        let (lines, _, _) = try Self.panelLines(harness)
        #expect(!lines.joined().contains("≠"), "\(lines)")
        for row in view.rows where row.same == false {
            let line = try #require(lines.first { $0.contains("* " + DisplayWidth.padded(row.kind.procName, to: 8)) })
            #expect(line.contains("!= " + row.childID + " "), "\(line)")
        }
    }

    @Test("the presenter screen at 100x30, only the kinds that differ")
    func snapshot() throws {
        let harness = try Self.presenting()
        for theme in snapshotThemes {
            expectSnapshot(
                DashboardView.render(harness.model, theme: theme, screens: harness.update.panes),
                named: "presenter-100x30")
        }
    }

    @Test("rows that do not fit scroll, and the border says which lines are on show")
    func scrolling() throws {
        var model = DashboardModel(size: Self.projector, isRoot: true)
        model.presenter = true
        model.focus = .comparison
        let long = String(repeating: "eth0 10.0.0.1/24 ", count: 6)
        model.comparison.latest = ComparisonView(
            subject: "pid 7 (sh)",
            rows: NamespaceKind.allCases.map {
                ComparisonRow(
                    kind: $0, hostID: "[4026531835]", hostFact: long, childID: "[4026532200]", childFact: long,
                    same: false)
            })
        let first = DashboardView.render(model, theme: .builtinDefault).lines()
        #expect(first.contains { $0.contains("lines 1-10 of ") }, "\(first.joined(separator: "\n"))")
        _ = model.handle(.key(.end))
        let last = model.presenterScroll
        #expect(last > 0 && last == model.presenterMaxScroll)
        let bottom = DashboardView.render(model, theme: .builtinDefault).lines()
        #expect(bottom.contains { $0.contains("* time") }, "the last kind scrolled into view")
        _ = model.handle(.key(.home))
        #expect(model.presenterScroll == 0)
    }

    @Test("the lesson's current step has its own line above the status bar")
    func lessonLine() throws {
        let harness = try LessonCheckTests.started(LessonCheckTests.lessons([.ownNamespace(.uts)]), number: 1)
        harness.press(Key.leavePane, .character("P"))
        let layout = harness.model.layout
        #expect(layout.presenter)
        let line = try #require(layout.lessonLine)
        #expect(line.maxY == layout.statusBar.y)
        let buffer = DashboardView.render(harness.model, theme: .builtinDefault, screens: harness.update.panes)
        #expect(text(of: line, in: buffer)[0].hasPrefix("Lesson 1 "), "\(text(of: line, in: buffer))")
    }

    @Test(
        "below 100x30 the ordinary layout is drawn, and says what the presenter layout needs; never broken",
        arguments: [
            TerminalSize(columns: 99, rows: 30), TerminalSize(columns: 100, rows: 29),
            TerminalSize(columns: 70, rows: 22), TerminalSize(columns: 60, rows: 20),
            TerminalSize(columns: 30, rows: 8),
        ])
    func fallback(size: TerminalSize) {
        var model = DashboardModel(size: size, isRoot: true)
        _ = model.handle(.key(.character("P")))
        #expect(model.presenter && !model.presenterShown && !model.layout.presenter)
        #expect(model.message?.text.contains("needs 100x30") == true)
        let screen = DashboardView.render(model, theme: .builtinDefault).lines().joined(separator: "\n")
        if model.layout.tooSmall {
            #expect(!screen.contains("Host vs child"))
        } else {
            #expect(screen.contains("presenter needs 100x30"), "\(screen)")
            #expect(screen.contains("Namespaces"), "the ordinary compact layout")
        }
    }

    @Test("the presenter's keys: those that act are in the help, and those in the help act")
    func keys() {
        var state = DashboardModel(size: Self.projector, isRoot: true)
        state.presenter = true
        state.focus = .comparison
        let long = String(repeating: "x ", count: 40)
        state.comparison.latest = ComparisonView(
            subject: "pid 7 (sh)",
            rows: NamespaceKind.allCases.map {
                ComparisonRow(kind: $0, hostID: "[1]", hostFact: long, childID: "[2]", childFact: long, same: false)
            })
        state.presenterScroll = 1
        #expect(state.presenterMaxScroll > 2, "room to scroll both ways")
        var handled: [Key] = []
        for key in keyUniverse {
            var global = state
            if global.handleGlobalKey(key) != nil { continue }
            var copy = state
            _ = copy.handle(.key(key))
            if copy.presenterAllRows != state.presenterAllRows || copy.presenterScroll != state.presenterScroll {
                handled.append(key)
            }
        }
        let named = KeyBindings.bindings(in: .presenter).flatMap { binding -> [Key] in
            if case .these(let keys) = binding.keys { return keys }
            return []
        }
        #expect(Set(handled.map { "\($0)" }) == Set(named.map { "\($0)" }))
        // In the ordinary layout `a` is nobody's key.
        var ordinary = state
        ordinary.presenter = false
        _ = ordinary.handle(.key(.character("a")))
        #expect(ordinary.presenterAllRows == state.presenterAllRows)
    }
}
