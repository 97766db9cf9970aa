import NamespaceKit
import Testing

@testable import Dashboard

/// The unshare line under Launch and `y`, which copies it with OSC 52 only where TERM takes it.
@Suite("Export line")
struct ExportLineTests {
    @Test("the line follows the ticks and options, and shows under Launch")
    func followsTicks() throws {
        let harness = Harness(system: try LabFixture.system())
        #expect(ExportLine.unshare(harness.model) == nil)
        harness.press(.character("1"), .character("3"))
        harness.model.options.hostname = "myhost"
        let line = try #require(ExportLine.unshare(harness.model))
        #expect(line.hasPrefix("unshare --fork --kill-child --uts --pid"), "\(line)")
        #expect(line.contains("hostname myhost") && line.hasSuffix(harness.model.exportShell), "\(line)")
        let screen = DashboardView.render(harness.model, theme: .builtinDefault).lines().joined(separator: "\n")
        #expect(screen.contains("│$ unshare --fork --kill-child --uts --pid"), "\(screen)")
    }

    @Test("y copies with OSC 52 and says copied; without OSC 52 nothing is sent and the message says why")
    func copies() throws {
        let harness = Harness(system: try LabFixture.system())
        harness.press(.character("1"))
        harness.model.clipboardWorks = false
        harness.press(.character("y"))
        #expect(harness.clipboard.isEmpty)
        #expect(harness.model.message?.isError == true)
        harness.model.clipboardWorks = true
        harness.press(.character("y"))
        let line = try #require(ExportLine.unshare(harness.model))
        #expect(harness.clipboard == [line])
        #expect(harness.model.message?.text.hasPrefix("copied") == true)
    }

    @Test("only xterm-like terminals get the sequence; it is OSC 52 with base64")
    func terminals() {
        #expect(ExportLine.supportsClipboard(term: "xterm-256color"))
        #expect(ExportLine.supportsClipboard(term: "tmux-256color") && ExportLine.supportsClipboard(term: "screen"))
        #expect(!ExportLine.supportsClipboard(term: "linux") && !ExportLine.supportsClipboard(term: "dumb"))
        #expect(!ExportLine.supportsClipboard(term: nil) && !ExportLine.supportsClipboard(term: ""))
        #expect(ExportLine.base64(Array("hello".utf8)) == "aGVsbG8=")
        #expect(ExportLine.base64(Array("ab".utf8)) == "YWI=" && ExportLine.base64(Array("abc".utf8)) == "YWJj")
        #expect(ExportLine.osc52("hi") == "\u{1b}]52;c;aGk=\u{07}")
    }
}
