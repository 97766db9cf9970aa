import NamespaceKit

/// The lab's asciicast v2 recording (`lab.cast`): a header line, then one JSON array per event, `[seconds, "o",
/// text]` for the pane's output, `[seconds, "r", "COLSxROWS"]` for a resize and `[seconds, "m", label]` for a
/// marker (a launch, a command, a lesson step). See https://docs.asciinema.org/manual/asciicast/v2/.
///
/// It holds the output of the pane on show only, never typed keys. Each event's time is read here, as it comes;
/// its writer makes the line (`AsciicastEncoder`): at once into a sink (`EncodingCastWriter`), or on the
/// recording's own thread in batches (`ThreadedCastWriter`, the lab's file). Either way the file holds whole lines
/// only, so after a `kill -9` of nslab it plays up to its last line. Pure apart from its writer and clock.
public final class LabRecording {
    /// Where the events go.
    let writer: any CastWriter
    /// The monotonic time of the header (event times count from it), in nanoseconds.
    let start: UInt64
    /// The monotonic clock, in nanoseconds.
    let clock: () -> UInt64
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

    /// Starts a recording through `writer`: writes the header at once (so an unwritable file is known before
    /// the lab starts). Throws the write's error.
    init(writer: any CastWriter, header: Header, clock: @escaping () -> UInt64 = SystemCall.monotonicNanoseconds)
        throws(Errno)
    {
        self.writer = writer
        self.clock = clock
        start = clock()
        lastTime = start
        size = (header.columns, header.rows)
        var text: [UInt8] = Array(#"{"version": 2, "width": "#.utf8)
        text += Array("\(max(1, header.columns)), \"height\": \(max(1, header.rows)), ".utf8)
        text += Array("\"timestamp\": \(header.timestamp), \"title\": \"".utf8)
        text += UTF8Carry.escaped(header.title)
        text += Array(#"", "env": {"TERM": ""#.utf8) + UTF8Carry.escaped(header.term)
        text += Array(#"", "SHELL": ""#.utf8) + UTF8Carry.escaped(header.shell)
        text += Array("\"}}\n".utf8)
        if let error = writer.header(text) { throw error }
    }

    /// Starts a recording whose events are encoded and written into `sink` one by one, as they come.
    public convenience init(
        sink: any NotebookSink, header: Header, clock: @escaping () -> UInt64 = SystemCall.monotonicNanoseconds
    ) throws(Errno) {
        try self.init(writer: EncodingCastWriter(sink), header: header, clock: clock)
    }

    /// Records pane output: one `o` event with the bytes as text, an incomplete last character held back for
    /// the next call. Nothing is written for bytes that are only the start of a character.
    public func output(_ bytes: UnsafeRawBufferPointer) -> Errno? {
        writer.put(.output, at: now(), bytes)
    }

    /// Records pane output given as an array; see `output(_:)`.
    public func output(_ bytes: [UInt8]) -> Errno? {
        bytes.withUnsafeBytes { output($0) }
    }

    /// Records a resize of the recorded pane (an `r` event), when the size changed.
    public func resize(columns: Int, rows: Int) -> Errno? {
        guard columns != size.columns || rows != size.rows else { return nil }
        size = (columns, rows)
        return put(.resize, Array("\(columns)x\(rows)".utf8))
    }

    /// Records a marker (an `m` event): a launch, a command, a lesson step; a player can jump to it.
    public func marker(_ label: String) -> Errno? {
        put(.marker, Array(label.utf8))
    }

    /// The pane on show changed (a tab switch, the other side of a split): its size if it differs, then a clear
    /// screen and its current cells as one `o` event, so the player shows what the learner saw. A character
    /// half-read from the previous pane is dropped.
    public func switchTo(columns: Int, rows: Int, screen: [UInt8]) -> Errno? {
        if let error = put(.restart, []) { return error }
        if let error = resize(columns: columns, rows: rows) { return error }
        return output(screen)
    }

    /// Ends the recording: a held incomplete character is written as U+FFFD.
    public func finish() -> Errno? {
        put(.finish, [])
    }

    /// Hands an event with `payload` to the writer.
    private func put(_ kind: CastEventKind, _ payload: [UInt8]) -> Errno? {
        payload.withUnsafeBytes { writer.put(kind, at: now(), $0) }
    }

    /// Nanoseconds since the header, never less than the last event's.
    private func now() -> UInt64 {
        lastTime = max(clock(), lastTime)
        return lastTime &- start
    }

    /// Nanoseconds as seconds with six decimals, e.g. `12.003400`.
    static func seconds(_ nanoseconds: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        AsciicastEncoder.appendSeconds(nanoseconds, to: &out)
        return out
    }
}
