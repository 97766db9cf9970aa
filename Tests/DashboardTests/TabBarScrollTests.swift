import Testing

@testable import Dashboard
@testable import NamespaceKit

/// The child pane's tab bar when there are more tabs than fit.
@Suite struct TabBarScrollTests {
    static func model(tabs: Int) -> DashboardModel {
        var model = DashboardModel(size: TerminalSize(columns: 160, rows: 45), isRoot: true)
        for index in 0..<tabs {
            model.addTab(
                pid: Int32(5000 + index),
                request: LaunchRequest(kinds: [.uts, .pid, .net], options: NamespaceOptions()),
                message: "launched")
        }
        return model
    }

    /// Guards against the bar showing only tabs 1-4 at 160x45 with nothing marking tab 5 or later, even while
    /// one of them was on show: the bar scrolls to keep the tab on show visible and marks the hidden ones.
    @Test("the tab on show is always in the bar; hidden tabs are counted on each side")
    func scrollsToTheShownTab() {
        var model = Self.model(tabs: 12)
        let rect = Rect(x: 0, y: 0, width: 60, height: 10)
        let last = TabBar.labels(model, in: rect, screens: nil)
        #expect(last.contains { $0.text.contains("Child 5011") }, "\(last.map(\.text))")
        #expect(last.first?.text.contains("‹") == true, "\(last.map(\.text))")
        #expect(last.allSatisfy { $0.x.upperBound <= rect.maxX - 1 })
        model.showTab(at: 0)
        let first = TabBar.labels(model, in: rect, screens: nil)
        #expect(first.contains { $0.text.contains("Child 5000") })
        #expect(first.last?.text.contains("›") == true, "\(first.map(\.text))")
        model.showTab(at: 6)
        let middle = TabBar.labels(model, in: rect, screens: nil).map(\.text)
        #expect(
            middle.contains { $0.contains("Child 5006") } && middle.first!.contains("‹") && middle.last!.contains("›"),
            "\(middle)")
    }

    /// A few tabs that fit are drawn as before, without markers.
    @Test("tabs that fit: no markers")
    func noMarkersWhenAllFit() {
        let labels = TabBar.labels(Self.model(tabs: 3), in: Rect(x: 0, y: 0, width: 100, height: 10), screens: nil)
        #expect(labels.count == 3 && !labels.contains { $0.text.contains("‹") || $0.text.contains("›") })
    }
}
