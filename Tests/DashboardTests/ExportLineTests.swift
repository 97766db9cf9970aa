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

    @Test("an entered tab on show gets the nsenter line of the joined kinds under Launch, and y copies it")
    func enteredTab() throws {
        let (harness, launcher) = try NestedLaunchTests.harness(reporting: 2010)
        let kinds = NestedLaunchTests.differing(LabFixture.child, harness.model)
        try #require(kinds.contains(.mount) && kinds.count > 1)
        harness.model.focus = .processes
        harness.press(.character("/"), .character("2"), .character("0"), .character("0"), .character("2"), .enter)
        harness.press(.character("e"))
        try #require(launcher.specs.last?.joining?.pid == LabFixture.child)
        let line = try #require(ExportLine.nsenter(harness.model))
        #expect(line.hasPrefix("nsenter -t 2002 ") && line.hasSuffix(" -r -w /bin/sh"), "\(line)")
        for kind in NamespaceKind.allCases {
            #expect(line.contains(" --\(kind.rawValue) ") == kinds.contains(kind), "\(kind) in \(line)")
        }
        #expect(!line.contains("unshare"))
        let screen = DashboardView.render(harness.model, theme: .builtinDefault).lines().joined(separator: "\n")
        #expect(screen.contains("│$ nsenter -t 2002 --"), "\(screen)")
        #expect(!screen.contains("$ unshare"), "\(screen)")
        harness.model.focus = .namespaces
        harness.model.clipboardWorks = true
        harness.press(.character("y"))
        #expect(harness.clipboard == [line])
    }

    @Test("entering only the ticked UTS gives a line without -r -w; an F5 tab on show brings back unshare")
    func enteredOneKindThenLaunched() throws {
        let (harness, _) = try NestedLaunchTests.harness(reporting: 2010)
        try #require(NestedLaunchTests.differing(LabFixture.child, harness.model).contains(.uts))
        harness.model.ticked = [.uts]
        harness.model.focus = .processes
        harness.press(.character("/"), .character("2"), .character("0"), .character("0"), .character("2"), .enter)
        harness.press(.character("e"))
        #expect(ExportLine.current(harness.model) == "nsenter -t 2002 --uts /bin/sh")
        harness.model.focus = .namespaces
        harness.press(.function(5))
        #expect(ExportLine.nsenter(harness.model) == nil)
        let line = try #require(ExportLine.current(harness.model))
        #expect(line.hasPrefix("unshare --fork --kill-child --uts"), "\(line)")
    }
}
