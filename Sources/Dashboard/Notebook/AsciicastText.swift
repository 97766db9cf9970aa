/// Pane output made into the text of an asciicast `o` event: bytes in any chunks, UTF-8 out that never splits a
/// character, as a JSON string's body.
///
/// A pty read can end in the middle of a character; the incomplete sequence is held until the next chunk, so no
/// event ends in half a character (a player would show two replacement marks for one `é`). Bytes that are not
/// UTF-8 become U+FFFD, one per maximal ill-formed subpart (as the Unicode standard recommends, and as Python
/// and browsers decode).
struct UTF8Carry {
    /// The start of a character the last chunk ended in (at most 3 bytes).
    private(set) var pending: [UInt8] = []

    /// U+FFFD as UTF-8.
    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Appends `chunk`, repaired and JSON-escaped, to `out`; an incomplete last character is kept for the next.
    mutating func appendEscaped(_ chunk: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        guard !pending.isEmpty else { return scan(chunk, into: &out) }
        // Complete the held character from the chunk's first bytes, then go on in the chunk itself.
        var joined = pending
        let take = min(chunk.count, 4 - pending.count)
        joined += chunk[0..<take]
        pending = []
        let used = joined.withUnsafeBytes { joined -> Int in
            let (consumed, complete) = Self.sequence(at: 0, in: joined)
            if !complete { return -1 }
            Self.emit(joined, from: 0, count: consumed, valid: Self.isValid(joined, consumed), into: &out)
            return consumed
        }
        if used < 0 {
            // Still incomplete: the whole chunk was a prefix of one character.
            pending = joined
            return
        }
        let fromChunk = used - (joined.count - take)
        scan(UnsafeRawBufferPointer(rebasing: chunk[max(0, fromChunk)...]), into: &out)
    }

    /// Appends what is held at the end of the recording: an incomplete character becomes U+FFFD.
    mutating func finish(into out: inout [UInt8]) {
        if !pending.isEmpty { out += Self.replacement }
        pending = []
    }

    /// Forgets a held partial character (the pane it came from is no longer recorded).
    mutating func reset() { pending = [] }

    /// Escapes `bytes` into `out`, holding an incomplete last character in `pending`.
    private mutating func scan(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var index = 0
        let count = bytes.count
        out.reserveCapacity(out.count + count + count / 4)
        while index < count {
            let byte = bytes[index]
            if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C {
                // The common case: a run of printable ASCII copied as is.
                var end = index + 1
                while end < count {
                    let next = bytes[end]
                    guard next >= 0x20 && next < 0x7F && next != 0x22 && next != 0x5C else { break }
                    end += 1
                }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                index = end
                continue
            }
            if byte < 0x80 {
                Self.escapeASCII(byte, into: &out)
                index += 1
                continue
            }
            let (consumed, complete) = Self.sequence(at: index, in: bytes)
            if !complete {
                pending = Array(bytes[index..<count])
                return
            }
            Self.emit(bytes, from: index, count: consumed, valid: Self.isValid(bytes, consumed, at: index), into: &out)
            index += consumed
        }
    }

    /// JSON's escape for an ASCII byte that cannot stand as itself: `"`, `\`, controls and DEL.
    static func escapeASCII(_ byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case 0x22: out += [0x5C, 0x22]
        case 0x5C: out += [0x5C, 0x5C]
        case 0x0A: out += [0x5C, UInt8(ascii: "n")]
        case 0x0D: out += [0x5C, UInt8(ascii: "r")]
        case 0x09: out += [0x5C, UInt8(ascii: "t")]
        case 0x08: out += [0x5C, UInt8(ascii: "b")]
        case 0x0C: out += [0x5C, UInt8(ascii: "f")]
        case 0x20..<0x7F: out.append(byte)
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            out += [
                0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)],
            ]
        }
    }

    /// Escapes a whole string (labels, titles) for a JSON string's body; the string is valid UTF-8 already.
    static func escaped(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for byte in text.utf8 {
            if byte < 0x80 { escapeASCII(byte, into: &out) } else { out.append(byte) }
        }
        return out
    }

    /// Copies a well-formed character, or writes one U+FFFD for an ill-formed subpart.
    private static func emit(
        _ bytes: UnsafeRawBufferPointer, from index: Int, count: Int, valid: Bool, into out: inout [UInt8]
    ) {
        if valid {
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)]))
        } else {
            out += replacement
        }
    }

    /// True when the `count` bytes at `index` are one whole character (not a rejected subpart).
    private static func isValid(_ bytes: UnsafeRawBufferPointer, _ count: Int, at index: Int = 0) -> Bool {
        count == expectedLength(bytes[index])
    }

    /// The length a lead byte announces; 0 for a byte that cannot start a character.
    private static func expectedLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0x00..<0x80: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    /// The allowed range of the byte after `lead` (Unicode's table of well-formed sequences: no overlongs, no
    /// surrogates, nothing past U+10FFFF).
    private static func secondRange(_ lead: UInt8) -> ClosedRange<UInt8> {
        switch lead {
        case 0xE0: 0xA0...0xBF
        case 0xED: 0x80...0x9F
        case 0xF0: 0x90...0xBF
        case 0xF4: 0x80...0x8F
        default: 0x80...0xBF
        }
    }

    /// How many bytes at `index` form one character or one ill-formed subpart, and whether the input held them
    /// all (false: the bytes left are a valid prefix of a character cut off by the end of the input).
    private static func sequence(at index: Int, in bytes: UnsafeRawBufferPointer) -> (count: Int, complete: Bool) {
        let lead = bytes[index]
        let length = expectedLength(lead)
        guard length > 1 else { return (1, true) }
        var position = 1
        while position < length {
            guard index + position < bytes.count else { return (position, false) }
            let next = bytes[index + position]
            let allowed = position == 1 ? secondRange(lead) : 0x80...0xBF
            // The valid prefix so far is one subpart: one U+FFFD, and the byte that broke it is read again.
            guard allowed.contains(next) else { return (position, true) }
            position += 1
        }
        return (length, true)
    }
}
