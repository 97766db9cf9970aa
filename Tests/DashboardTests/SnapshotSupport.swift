import Foundation
import Testing

@testable import Dashboard

/// Where the text snapshots live: Tests/DashboardTests/Snapshots, found from this file.
let snapshotsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    .path

/// Compares a rendered screen with `Snapshots/<name>.txt`.
///
/// Run with NSLAB_RECORD_SNAPSHOTS=1 to (re)write the files, then read them in a diff before committing:
/// they are the screens users will see.
func expectSnapshot(_ buffer: ScreenBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let path = snapshotsFolder + "/" + name + ".txt"
    let actual = buffer.snapshot() + "\n"
    if ProcessInfo.processInfo.environment["NSLAB_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(atPath: snapshotsFolder, withIntermediateDirectories: true)
        try? actual.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
        Issue.record(
            "missing snapshot \(path); record it with NSLAB_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    #expect(actual == expected, "screen differs from snapshot \(name).txt:\n\(actual)", sourceLocation: sourceLocation)
}

/// The two themes every snapshot is rendered in: the text must not depend on the theme.
let snapshotThemes: [Theme] = [.builtinDefault, .builtinMono]

/// A typical session: three kinds ticked, the demo tree, the child selected, its maps shown.
func sampleState(size: TerminalSize, root: Bool = true) -> DashboardModel {
    var state = DashboardModel(size: size, isRoot: root)
    state.ticked = [.uts, .pid, .mount]
    state.options.hostname = "lab"
    state.setProcesses(DemoData.processes)
    state.selectedPID = 3100
    state.maps = DemoData.maps(pid: 3100)
    state.show("child 2002 started in UTS PID Mount")
    return state
}

/// The rows of `rect` in `buffer`, as text: one panel cut out of a whole screen.
func text(of rect: Rect, in buffer: ScreenBuffer) -> [String] {
    buffer.lines()[rect.y..<rect.maxY].map { line in
        String(line.dropFirst(rect.x).prefix(rect.width))
    }
}
