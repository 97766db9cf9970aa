import NamespaceKit

/// The lab's asciicast v2 recording (`lab.cast`): a header line, then one JSON array per event, `[seconds, "o",
/// text]` for the pane's output, `[seconds, "r", "COLSxROWS"]` for a resize and `[seconds, "m", label]` for a
/// marker (a launch, a command, a lesson step). See https://docs.asciinema.org/manual/asciicast/v2/.
///
/// It holds the output of the pane on show only, never typed keys. Every event is one `write()` as it comes,
/// so after a `kill -9` of nslab the file plays up to its last event. Pure apart from its sink and clock.
public final class LabRecording {
    /// Where the lines go.
    let sink: any NotebookSink
    /// The monotonic time of the header (event times count from it), in nanoseconds.
    let start: UInt64
    /// The monotonic clock, in nanoseconds.
    let clock: () -> UInt64
    /// A character the last output ended in the middle of.
    private var carry = UTF8Carry()
    /// The event line being built; kept to reuse its storage.
    private var line: [UInt8] = []
    /// Where an output event is built: its prefix, the escaped bytes, its end.
    private var scratch: [UInt8] = []
    /// The time of the last event, so times never go back (asciinema needs them in order).
    private var lastTime: UInt64 = 0
    /// The size the player's terminal has now (the header's, then the last `r`).
    public private(set) var size: (columns: Int, rows: Int)

    /// The recording's header fields.
    public struct Header: Sendable {
        /// Columns and rows of the recorded pane.
        public var columns: Int
        /// Rows of the recorded pane.
        public var rows: Int
        /// Unix time of the start, in seconds.
        public var timestamp: Int
        /// The title a player shows.
        public var title: String
        /// TERM inside the pane.
        public var term: String
        /// The children's shell.
        public var shell: String

        /// Makes a header.
        public init(columns: Int, rows: Int, timestamp: Int, title: String, term: String, shell: String) {
            self.columns = columns
            self.rows = rows
            self.timestamp = timestamp
            self.title = title
            self.term = term
            self.shell = shell
        }
    }

    /// Starts a recording into `sink`: writes the header at once (so an unwritable file is known before the lab
    /// starts). Throws the write's error.
    public init(sink: any NotebookSink, header: Header, clock: @escaping () -> UInt64 = SystemCall.monotonicNanoseconds)
        throws(Errno)
    {
        self.sink = sink
        self.clock = clock
        start = clock()
        size = (header.columns, header.rows)
        var text: [UInt8] = Array(#"{"version": 2, "width": "#.utf8)
        text += Array("\(max(1, header.columns)), \"height\": \(max(1, header.rows)), ".utf8)
        text += Array("\"timestamp\": \(header.timestamp), \"title\": \"".utf8)
        text += UTF8Carry.escaped(header.title)
        text += Array(#"", "env": {"TERM": ""#.utf8) + UTF8Carry.escaped(header.term)
        text += Array(#"", "SHELL": ""#.utf8) + UTF8Carry.escaped(header.shell)
        text += Array("\"}}\n".utf8)
        if let error = sink.write(text) { throw error }
    }

    /// Records pane output: one `o` event with the bytes as text, an incomplete last character held back for
    /// the next call. Nothing is written for bytes that are only the start of a character.
    public func output(_ bytes: UnsafeRawBufferPointer) -> Errno? {
        beginEvent("o")
        // The event is built in `scratch`, which only ever grows: filling a fresh buffer for each read of the
        // pty cost more than escaping its bytes.
        let prefix = line.count
        let needed = prefix + UTF8Carry.worstCase(bytes.count) + 3
        if scratch.count < needed { scratch = [UInt8](repeating: 0, count: needed) }
        return scratch.withUnsafeMutableBufferPointer { event -> Errno? in
            let start = event.baseAddress!
            line.withUnsafeBufferPointer { start.update(from: $0.baseAddress!, count: prefix) }
            let written = carry.escape(bytes, into: start + prefix)
            guard written > 0 else { return nil }
            var end = prefix + written
            for byte in [UInt8(ascii: "\""), UInt8(ascii: "]"), UInt8(ascii: "\n")] {
                start[end] = byte
                end += 1
            }
            return sink.write(UnsafeRawBufferPointer(start: start, count: end))
        }
    }

    /// Records pane output given as an array; see `output(_:)`.
    public func output(_ bytes: [UInt8]) -> Errno? {
        bytes.withUnsafeBytes { output($0) }
    }

    /// Records a resize of the recorded pane (an `r` event), when the size changed.
    public func resize(columns: Int, rows: Int) -> Errno? {
        guard columns != size.columns || rows != size.rows else { return nil }
        size = (columns, rows)
        beginEvent("r")
        line += Array("\(columns)x\(rows)".utf8)
        return endEvent()
    }

    /// Records a marker (an `m` event): a launch, a command, a lesson step; a player can jump to it.
    public func marker(_ label: String) -> Errno? {
        beginEvent("m")
        line += UTF8Carry.escaped(label)
        return endEvent()
    }

    /// The pane on show changed (a tab switch, the other side of a split): its size if it differs, then a clear
    /// screen and its current cells as one `o` event, so the player shows what the learner saw. A character
    /// half-read from the previous pane is dropped.
    public func switchTo(columns: Int, rows: Int, screen: [UInt8]) -> Errno? {
        carry.reset()
        if let error = resize(columns: columns, rows: rows) { return error }
        return output(screen)
    }

    /// Ends the recording: a held incomplete character is written as U+FFFD.
    public func finish() -> Errno? {
        beginEvent("o")
        let before = line.count
        carry.finish(into: &line)
        guard line.count > before else { return nil }
        return endEvent()
    }

    /// Starts `[TIME, "CODE", "` in `line`.
    private func beginEvent(_ code: String) {
        let now = max(clock(), lastTime)
        lastTime = now
        line.removeAll(keepingCapacity: true)
        line.append(UInt8(ascii: "["))
        line += Self.seconds(now &- start)
        line += Array(", \"\(code)\", \"".utf8)
    }

    /// Closes the event line and writes it.
    private func endEvent() -> Errno? {
        line += [UInt8(ascii: "\""), UInt8(ascii: "]"), UInt8(ascii: "\n")]
        return sink.write(line)
    }

    /// Nanoseconds as seconds with six decimals, e.g. `12.003400` (no Foundation, no locale).
    static func seconds(_ nanoseconds: UInt64) -> [UInt8] {
        let micros = nanoseconds / 1_000
        let fraction = String(micros % 1_000_000)
        return Array("\(micros / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)".utf8)
    }
}
