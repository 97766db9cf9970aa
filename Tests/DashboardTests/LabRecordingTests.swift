import Foundation
import NamespaceKit
import TerminalKit
import Testing

@testable import Dashboard

/// The asciicast v2 writer on its own: a memory sink and a hand-driven clock.
@Suite("Lab recording (lab.cast)")
struct LabRecordingTests {
    /// A recording into memory whose clock moves 1 ms per reading.
    func recording(columns: Int = 80, rows: Int = 24) throws -> (LabRecording, MemorySink) {
        let sink = MemorySink()
        var time: UInt64 = 5_000_000_000
        let header = LabRecording.Header(
            columns: columns, rows: rows, timestamp: 1_796_655_840, title: "lab \"1\"", term: "xterm-256color",
            shell: "/bin/sh")
        let recording = try LabRecording(sink: sink, header: header) {
            time += 1_000_000
            return time
        }
        return (recording, sink)
    }

    /// Every line of `text` parsed as JSON; a line that is not JSON fails the test.
    func parse(_ text: String) throws -> [Any] {
        try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        }
    }

    /// The events after the header as (time, code, data).
    func events(_ sink: MemorySink) throws -> [(Double, String, String)] {
        try parse(sink.text).dropFirst().map { value in
            let array = try #require(value as? [Any])
            #expect(array.count == 3)
            return (
                try #require((array[0] as? NSNumber)?.doubleValue), try #require(array[1] as? String),
                try #require(array[2] as? String)
            )
        }
    }

    /// The text of the `o` events, joined.
    func outputText(_ sink: MemorySink) throws -> String {
        try events(sink).filter { $0.1 == "o" }.map(\.2).joined()
    }

    @Test("the header is one JSON object with version 2, the size, timestamp, title and env")
    func header() throws {
        let (_, sink) = try recording(columns: 100, rows: 30)
        let lines = try parse(sink.text)
        #expect(lines.count == 1)
        let header = try #require(lines.first as? [String: Any])
        #expect(header["version"] as? Int == 2)
        #expect(header["width"] as? Int == 100)
        #expect(header["height"] as? Int == 30)
        #expect(header["timestamp"] as? Int == 1_796_655_840)
        #expect(header["title"] as? String == "lab \"1\"")
        let env = try #require(header["env"] as? [String: String])
        #expect(env == ["TERM": "xterm-256color", "SHELL": "/bin/sh"])
    }

    @Test("a character split between two reads at any byte is never split between events")
    func splitAtEveryPosition() throws {
        let text = "a é ñ € 中文 😀 \u{1b}[31mred\u{1b}[0m \"q\" \\ tab\there\r\n𝄞 ok"
        let bytes = Array(text.utf8)
        for cut in 0...bytes.count {
            let (recording, sink) = try recording()
            #expect(recording.output(Array(bytes[..<cut])) == nil)
            #expect(recording.output(Array(bytes[cut...])) == nil)
            let events = try events(sink)
            for event in events { #expect(!event.2.contains("\u{FFFD}"), "cut at \(cut): \(event.2)") }
            #expect(try outputText(sink) == text, "cut at \(cut)")
        }
        // Three pieces, every pair of cut points: a 4-byte character fed one byte at a time included.
        for first in 0...bytes.count {
            for second in first...bytes.count {
                let (recording, sink) = try recording()
                _ = recording.output(Array(bytes[..<first]))
                _ = recording.output(Array(bytes[first..<second]))
                _ = recording.output(Array(bytes[second...]))
                #expect(try outputText(sink) == text, "cuts at \(first), \(second)")
            }
        }
    }

    @Test(
        "bytes that are not UTF-8 become U+FFFD, one per ill-formed subpart",
        arguments: [
            ([0x80], "\u{FFFD}"),
            ([0xFF, 0x41], "\u{FFFD}A"),
            ([0xC0, 0xAF], "\u{FFFD}\u{FFFD}"),  // an overlong "/"
            ([0xE0, 0x80, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}"),
            ([0xED, 0xA0, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}"),  // a surrogate
            ([0xF4, 0x90, 0x80, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"),  // past U+10FFFF
            ([0xE2, 0x82, 0x41], "\u{FFFD}A"),  // a cut-off "€" before "A"
            ([0xF0, 0x9F, 0x98], "\u{FFFD}"),  // cut off by the end of the recording
        ] as [([UInt8], String)])
    func invalidBytes(bytes: [UInt8], expected: String) throws {
        let (recording, sink) = try recording()
        _ = recording.output(bytes)
        _ = recording.finish()
        #expect(try outputText(sink) == expected)
    }

    @Test("random bytes in random chunks decode as Swift's own UTF-8 repair does")
    func randomBytes() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let count = Int.random(in: 0..<64, using: &generator)
            // Bytes around the UTF-8 boundaries, where the mistakes would be.
            let pool: [UInt8] = [
                0x41, 0x0A, 0x1B, 0x22, 0x5C, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2,
                0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
            ]
            let bytes = (0..<count).map { _ in pool.randomElement(using: &generator)! }
            let (recording, sink) = try recording()
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 1...5, using: &generator))
                _ = recording.output(Array(bytes[start..<end]))
                start = end
            }
            _ = recording.finish()
            #expect(try outputText(sink) == String(decoding: bytes, as: UTF8.self), "\(bytes)")
        }
    }

    @Test("the eight-byte test agrees with the byte-wise one, and finds the first byte that is not plain: every byte value at every position, and random words")
    func plainWords() {
        func plainByte(_ word: UInt64, _ shift: Int) -> Bool {
            let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt64(shift)))
            return byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C
        }
        func bytewise(_ word: UInt64) -> Bool { (0..<8).allSatisfy { plainByte(word, $0) } }
        /// Where the escaping stops copying: the first byte that is not plain, 8 when all are.
        func firstStop(_ word: UInt64) -> Int { (0..<8).first { !plainByte(word, $0) } ?? 8 }
        func stopFound(_ word: UInt64) -> Int {
            let stops = UTF8Carry.notPlain(word)
            return stops == 0 ? 8 : stops.trailingZeroBitCount / 8
        }
        let plain = UInt64(0x6161_6161_6161_6161)  // "aaaaaaaa"
        for position in 0..<8 {
            for value in 0...255 {
                let shift = UInt64(8 * position)
                let word = (plain & ~(0xFF << shift)) | (UInt64(value) << shift)
                #expect(UTF8Carry.plainASCII(word) == bytewise(word), "byte \(value) at \(position)")
                #expect(stopFound(word) == firstStop(word), "byte \(value) at \(position)")
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            // Mostly printable bytes, so that both answers come up often.
            var word: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 8) {
                let byte: UInt64 = Bool.random(using: &generator) ? .random(in: 0x20...0x7E, using: &generator) : .random(in: 0...255, using: &generator)
                word |= byte << UInt64(shift)
            }
            #expect(UTF8Carry.plainASCII(word) == bytewise(word))
            #expect(stopFound(word) == firstStop(word), "\(String(word, radix: 16))")
        }
    }

    @Test("control characters are JSON escapes, never raw bytes in the file")
    func escaping() throws {
        let (recording, sink) = try recording()
        let bytes: [UInt8] = Array(0...0x7F)
        _ = recording.output(bytes)
        _ = recording.marker("step \"2\" \\ \u{1b}")
        let lines = sink.bytes.split(separator: 0x0A).dropFirst()
        for line in lines { #expect(line.allSatisfy { $0 >= 0x20 && $0 != 0x7F }, "a raw control byte") }
        #expect(sink.text.contains(#"\u001b"#))
        #expect(sink.text.contains(#"\n"#) && sink.text.contains(#"\""#) && sink.text.contains(#"\\"#))
        #expect(try outputText(sink) == String(decoding: bytes, as: UTF8.self))
        #expect(try events(sink).last?.2 == "step \"2\" \\ \u{1b}")
    }

    @Test("resizes are r events COLSxROWS, written only on a change; markers are m events; times only go up")
    func resizesAndMarkers() throws {
        let (recording, sink) = try recording(columns: 80, rows: 24)
        #expect(recording.resize(columns: 80, rows: 24) == nil)
        _ = recording.resize(columns: 100, rows: 30)
        _ = recording.marker("launch: Child 42 [uts]")
        _ = recording.output(Array("x".utf8))
        let events = try events(sink)
        #expect(events.map(\.1) == ["r", "m", "o"])
        #expect(events[0].2 == "100x30")
        #expect(events[1].2 == "launch: Child 42 [uts]")
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.0 <= $1.0 })
        #expect(events[0].0 > 0 && events[0].0 < 1)
    }

    @Test("seconds are written with six decimals")
    func secondsFormat() {
        #expect(String(decoding: LabRecording.seconds(0), as: UTF8.self) == "0.000000")
        #expect(String(decoding: LabRecording.seconds(12_003_400_999), as: UTF8.self) == "12.003400")
        #expect(String(decoding: LabRecording.seconds(1_000), as: UTF8.self) == "0.000001")
    }

    @Test("a switch of pane writes its size and a clear screen with its cells, colours included")
    func switchWritesScreen() throws {
        let terminal = Terminal(rows: 5, cols: 20)
        terminal.feed("plain \u{1b}[1;31mbold red\u{1b}[0m\r\nsecond \u{1b}[38;5;200mpink\u{1b}[0m")
        let snapshot = ScreenSnapshot.bytes(of: terminal)
        let (recording, sink) = try recording(columns: 80, rows: 24)
        _ = recording.switchTo(columns: terminal.cols, rows: terminal.rows, screen: snapshot)
        let events = try events(sink)
        #expect(events.map(\.1) == ["r", "o"])
        #expect(events[0].2 == "20x5")
        let drawn = events[1].2
        #expect(drawn.hasPrefix("\u{1b}[0m\u{1b}[H\u{1b}[2J"))
        // Played on a fresh terminal of that size, the snapshot gives the same screen back.
        let replay = Terminal(rows: 5, cols: 20)
        replay.feed(drawn)
        for row in 0..<5 {
            #expect(replay.rowText(row) == terminal.rowText(row))
            for col in 0..<20 { #expect(replay.cell(row: row, col: col) == terminal.cell(row: row, col: col)) }
        }
        #expect(replay.cursor == terminal.cursor)
    }

    @Test("each event is one write, so a killed nslab leaves whole lines")
    func oneWritePerEvent() throws {
        let (recording, sink) = try recording()
        let before = sink.writes
        _ = recording.output(Array("one".utf8))
        _ = recording.output([0xE2])  // only the start of a character: nothing to write yet
        _ = recording.output([0x82, 0xAC])
        #expect(sink.writes == before + 2)
        #expect(sink.text.hasSuffix("\"]\n"))
    }

    @Test("a failed write is returned, not hidden")
    func writeFailure() throws {
        let (recording, sink) = try recording()
        sink.failure = Errno(ENOSPC)
        #expect(recording.output(Array("x".utf8)) == Errno(ENOSPC))
        #expect(recording.marker("m") == Errno(ENOSPC))
        let failing = MemorySink()
        failing.failure = Errno(EROFS)
        let header = LabRecording.Header(columns: 1, rows: 1, timestamp: 0, title: "", term: "", shell: "")
        #expect(throws: Errno(EROFS)) { _ = try LabRecording(sink: failing, header: header) }
    }
}
