import Foundation
import Testing

@testable import Dashboard
@testable import NamespaceKit

/// Issue 24: with `LANG=C` the borders vanished, `≠` disappeared while `=` stayed (a difference read as nothing)
/// and columns shifted. Every cell is now drawn as one ASCII or line-drawing character, and the comparison marks
/// a difference `!=` in `≠`'s three-cell column.
@Suite("ASCII terminals")
struct AsciiFallbackTests {
    @Test("box drawing goes to the terminal's line-drawing set, with + - | where it has none")
    func lines() {
        #expect(AsciiFallback.glyph(for: "─") == .line(UInt8(ascii: "q")))
        #expect(AsciiFallback.glyph(for: "│") == .line(UInt8(ascii: "x")))
        let corners = ["┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼", "╔", "╭"].map { AsciiFallback.glyph(for: $0) }
        #expect(corners == "lkmjtuwvnll".utf8.map { .line($0) })
        #expect(AsciiFallback.text("┌─┐│└┘") == "+-+|++")
        #expect(AsciiFallback.glyph(for: "a") == .ascii(UInt8(ascii: "a")))
        #expect(AsciiFallback.glyph(for: "") == .ascii(32), "the right half of a wide character is a blank")
        #expect(AsciiFallback.glyph(for: "漢") == .ascii(UInt8(ascii: "?")))
    }

    /// Every non-ASCII character in a string literal of the code that draws the dashboard (its own text and the
    /// facts NamespaceKit words) has a look-alike: none becomes `?`. A glyph added later without one fails here.
    @Test("every glyph the dashboard can draw has an ASCII fallback")
    func everyGlyphHasAFallback() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        var missing: Set<String> = []
        var seen = 0
        for module in ["Dashboard", "NamespaceKit"] {
            let folder = sources.appendingPathComponent(module)
            let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }
            for file in files where file.hasSuffix(".swift") && !file.hasSuffix("AsciiFallback.swift") {
                let text = try String(contentsOfFile: folder.appendingPathComponent(file).path, encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let code = line.drop { $0 == " " }
                    if code.hasPrefix("//") { continue }
                    for literal in code.matches(of: /"(?:[^"\\]|\\.)*"/) {
                        for character in literal.output where !character.isASCII {
                            seen += 1
                            if AsciiFallback.glyph(for: String(character)) == .ascii(UInt8(ascii: "?")) {
                                missing.insert("\(character) (\(file))")
                            }
                        }
                    }
                }
            }
        }
        #expect(seen > 50, "the scan found the glyphs")
        #expect(missing.isEmpty, "no ASCII fallback for: \(missing.sorted())")
    }

    @Test("a difference is marked != in the column of ≠; the rows stay aligned")
    func differenceMarker() {
        let view = ComparisonRows.view(sampleComparison())
        let unicode = ComparisonPanel.lines(view, width: 80).lines.map(\.text)
        let ascii = ComparisonPanel.lines(view, width: 80, ascii: true).lines.map(\.text)
        #expect(unicode.count == ascii.count)
        for (row, (wide, plain)) in zip(view.rows, zip(unicode, ascii)) {
            guard let column = wide.firstIndex(where: { $0 == "≠" || $0 == "=" || $0 == "?" }) else {
                Issue.record("no marker in \(wide)")
                continue
            }
            let offset = wide.distance(from: wide.startIndex, to: column)
            let marker = String(plain.dropFirst(offset - 1).prefix(3))
            switch row.same {
            case false?: #expect(marker == "!= ", "\(row.kind): \(plain)")
            case true?: #expect(marker == " = ", "\(row.kind): \(plain)")
            case nil: #expect(marker == " ? ", "\(row.kind): \(plain)")
            }
            #expect(plain.allSatisfy { $0.isASCII || $0 == "…" }, "\(plain)")
            #expect(DisplayWidth.width(of: plain) == DisplayWidth.width(of: wide), "columns stay: \(plain)")
        }
        #expect(ascii.filter { $0.contains("!= ") }.count == view.rows.filter { $0.same == false }.count)
    }

    @Test("a whole dashboard drawn for an ASCII terminal: every cell one ASCII character, every difference marked")
    func wholeScreen() {
        var state = PanelMarkerTests.state(size: TerminalSize(columns: 160, rows: 45))
        state.asciiGlyphs = true
        let buffer = DashboardView.render(state, theme: .builtinMono)
        let lines = buffer.lines().map(AsciiFallback.text)
        #expect(lines.allSatisfy { $0.count == 160 && $0.allSatisfy(\.isASCII) })
        #expect(lines[0].hasPrefix("+ Namespaces -") && lines[0].hasSuffix("-+"), "the border is drawn: \(lines[0])")
        let differing = ComparisonFitTests.containerView().rows.filter { $0.same == false }.count
        #expect(lines.filter { $0.contains("!= ") }.count == differing, "\(lines.joined(separator: "\n"))")
    }
}
