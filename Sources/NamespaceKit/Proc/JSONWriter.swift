/// A small streaming JSON writer into bytes: no Foundation, no intermediate dictionaries.
public struct JSONWriter: Sendable {
    /// The document so far.
    public internal(set) var bytes: [UInt8] = []
    private var needsComma = false

    /// An empty document.
    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    /// The document as a String.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// `{`
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// `}`
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// `[`
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// `]`
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object key; the next call writes its value.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    /// An object key from a runtime string.
    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A string value, escaped per RFC 8259.
    public mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escaping: copy them in one go.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: value.utf8)
            bytes.append(UInt8(ascii: "\""))
            needsComma = true
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// An integer value.
    public mutating func number<Integer: BinaryInteger>(_ value: Integer) {
        separate()
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDigits(UInt64(-Int64(value)))
        } else {
            appendDigits(UInt64(value))
        }
        needsComma = true
    }

    /// An array of integers, or `null` when there is none to write (a file that could not be read).
    public mutating func numbers<Integer: BinaryInteger>(_ values: [Integer]?) {
        guard let values else { return null() }
        beginArray()
        for value in values { number(value) }
        endArray()
    }

    /// An array of strings, or `null` when there is none to write (a file that could not be read).
    public mutating func strings(_ values: [String]?) {
        guard let values else { return null() }
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// A seconds value with nanosecond precision, e.g. `86400.5`.
    public mutating func seconds(_ offset: ClockOffset) {
        separate()
        var seconds = offset.seconds
        var nanoseconds = offset.nanoseconds
        if seconds < 0, nanoseconds > 0 {
            // The kernel normalizes to a non-negative nanosecond part: -1 s + 0.5e9 ns is -0.5 s.
            seconds += 1
            nanoseconds = 1_000_000_000 - nanoseconds
            if seconds == 0 { bytes.append(UInt8(ascii: "-")) }
        }
        if seconds < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(UInt64(abs(seconds)))
        if nanoseconds > 0 {
            var fraction = Array(String(nanoseconds).utf8)
            while fraction.count < 9 { fraction.insert(0x30, at: 0) }
            while fraction.last == 0x30 { fraction.removeLast() }
            bytes.append(UInt8(ascii: "."))
            bytes.append(contentsOf: fraction)
        }
        needsComma = true
    }

    /// A floating-point value printed with up to 3 decimals (uptime and the like).
    public mutating func decimal(_ value: Double) {
        let thousandths = Int64((value * 1000).rounded())
        seconds(ClockOffset(seconds: thousandths / 1000, nanoseconds: (thousandths % 1000) * 1_000_000))
    }

    /// `true` / `false`.
    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
        needsComma = true
    }

    /// `null`.
    public mutating func null() {
        separate()
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
        needsComma = true
    }

    private mutating func appendDigits(_ value: UInt64) {
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var remaining = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(0x30 + remaining % 10)
                remaining /= 10
                count += 1
            } while remaining > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }
}

/// Writes bytes to standard output in as few write(2) calls as possible.
public enum StandardOutput {
    /// Writes all of `bytes` to fd 1; a closed pipe just stops the output.
    public static func write(_ bytes: [UInt8]) {
        SystemCall.writeAll(.standardOutput, bytes)
    }

    /// Writes a string to standard output.
    public static func write(_ text: String) {
        write(Array(text.utf8))
    }
}

extension JSONWriter {
    /// A line break after the document, as command-line tools end their output.
    public mutating func newline() {
        bytes.append(0x0A)
    }
}
