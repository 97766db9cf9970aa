/// Small helpers for parsing /proc text straight from bytes, without building Strings for every field.
struct ByteCursor {
    /// The text being parsed.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Position of the next unread byte.
    var index: Int

    /// A cursor over `bytes` starting at `index`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// True when every byte has been read.
    var atEnd: Bool { index >= bytes.count }

    /// Skips spaces and tabs (not newlines).
    mutating func skipBlanks() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }

    /// Reads a signed decimal after optional blanks; nil if there is none.
    mutating func integer() -> Int64? {
        skipBlanks()
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value: Int64 = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            value = value &* 10 &+ Int64(bytes[index] &- 0x30)
            index += 1
        }
        if index == start { return nil }
        return negative ? -value : value
    }

    /// Reads an unsigned decimal after optional blanks; nil if there is none.
    mutating func unsigned() -> UInt64? {
        skipBlanks()
        let start = index
        var value: UInt64 = 0
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            value = value &* 10 &+ UInt64(bytes[index] &- 0x30)
            index += 1
        }
        return index == start ? nil : value
    }

    /// Reads a word up to a blank or newline, after optional blanks.
    mutating func word() -> Range<Int> {
        skipBlanks()
        let start = index
        while index < bytes.count, bytes[index] != 0x20, bytes[index] != 0x09, bytes[index] != 0x0A { index += 1 }
        return start..<index
    }

    /// Moves past the next newline.
    mutating func nextLine() {
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
        if index < bytes.count { index += 1 }
    }

    /// The bytes of the rest of this line (without the newline), leaving the cursor at the newline.
    mutating func restOfLine() -> Range<Int> {
        let start = index
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
        return start..<index
    }

    /// True when the bytes at the cursor start with `prefix`.
    func startsWith(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let start = prefix.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] { return false }
        return true
    }

    /// Decodes a range of the bytes as UTF-8 (invalid bytes become U+FFFD).
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Runs `body` over the UTF-8 bytes of a string; used by tests and small callers.
    static func withBytes<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var copy = text
        return copy.withUTF8 { body($0) }
    }
}
