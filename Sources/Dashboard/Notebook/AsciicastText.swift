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

    /// The most bytes `escape(_:into:)` writes for a chunk of `count` bytes: 6 per byte (`\u001b`), and a held
    /// character's replacement.
    static func worstCase(_ count: Int) -> Int { 6 * count + 12 }

    /// Writes `chunk`, repaired and JSON-escaped, to `out`, which has room for `worstCase(chunk.count)` bytes;
    /// returns how many bytes it wrote. An incomplete last character is kept for the next chunk.
    ///
    /// This is the recording's hot path (every byte a child prints): it writes through a pointer, byte by byte,
    /// with no array made per character.
    mutating func escape(_ chunk: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var written = 0
        var index = 0
        if !pending.isEmpty {
            // Complete the held character from the chunk's first bytes, then go on in the chunk itself.
            var joined = pending
            let take = min(chunk.count, 4 - pending.count)
            joined += chunk[0..<take]
            pending = []
            let (consumed, complete) = joined.withUnsafeBytes { Self.sequence(at: 0, in: $0) }
            guard complete else {
                pending = joined  // still incomplete: the whole chunk was a prefix of one character
                return 0
            }
            written += Self.copy(joined, consumed: consumed, to: out)
            index = max(0, consumed - (joined.count - take))
        }
        guard let base = chunk.baseAddress else { return written }
        let input = base.assumingMemoryBound(to: UInt8.self)
        let count = chunk.count
        while index < count {
            // Eight bytes at a time while they are all printable ASCII other than `"` and `\`, which stand as
            // themselves (most of a child's text between escape sequences).
            if index + 8 <= count {
                // The plain bytes before the first that is not are copied at once (all eight when none is): the
                // byte that stopped them is then taken alone, and the next word starts after it.
                let word = UnsafeRawPointer(input + index).loadUnaligned(as: UInt64.self)
                let stops = Self.notPlain(word)
                UnsafeMutableRawPointer(out + written).copyMemory(from: input + index, byteCount: 8)
                let plain = stops == 0 ? 8 : stops.trailingZeroBitCount / 8
                written += plain
                index += plain
                if plain == 8 { continue }
            }
            let byte = input[index]
            if byte >= 0x20 && byte < 0x7F {
                if byte == 0x22 || byte == 0x5C {
                    out[written] = 0x5C
                    written += 1
                }
                out[written] = byte
                written += 1
                index += 1
                continue
            }
            if byte < 0x80 {
                written += Self.escapeControl(byte, to: out + written)
                index += 1
                continue
            }
            // Two- and three-byte characters whole in the chunk (accents, CJK), checked and copied in place: the
            // general path below costs twice as much per character.
            if byte >= 0xC2 && byte <= 0xDF, index + 1 < count, input[index + 1] & 0xC0 == 0x80 {
                out[written] = byte
                out[written + 1] = input[index + 1]
                written += 2
                index += 2
                continue
            }
            if byte >= 0xE0 && byte <= 0xEF, index + 2 < count {
                let second = input[index + 1]
                let third = input[index + 2]
                let secondFits =
                    byte == 0xE0 ? second >= 0xA0 && second <= 0xBF
                    : byte == 0xED ? second >= 0x80 && second <= 0x9F : second & 0xC0 == 0x80
                if secondFits && third & 0xC0 == 0x80 {
                    out[written] = byte
                    out[written + 1] = second
                    out[written + 2] = third
                    written += 3
                    index += 3
                    continue
                }
            }
            let (consumed, complete) = Self.sequence(at: index, in: chunk)
            guard complete else {
                pending = Array(chunk[index..<count])
                break
            }
            if consumed == Self.expectedLength(byte) {
                for offset in 0..<consumed { out[written + offset] = input[index + offset] }
                written += consumed
            } else {
                written += Self.writeReplacement(to: out + written)
            }
            index += consumed
        }
        return written
    }

    /// True when all eight bytes of `word` are printable ASCII (0x20-0x7E) other than `"` and `\` (bit tricks on
    /// the whole word: a byte's high bit is set where it fails a test, with no carry from one byte to the next
    /// once bytes with the high bit set are ruled out).
    static func plainASCII(_ word: UInt64) -> Bool { notPlain(word) == 0 }

    /// The high bit of each byte of `word` (loaded little-endian: the first byte lowest) that is not plain ASCII,
    /// exact up to the first such byte: above it a borrow or carry may mark plain bytes too, so only the lowest
    /// set bit is to be trusted, which is all the escaping uses.
    static func notPlain(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        /// High bit set in each byte of `value` that is zero.
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let high = word & highs  // not ASCII
        let control = (word &- 0x20 &* ones) & ~word & highs  // a byte below 0x20
        let delete = (word &+ ones) & highs  // 0x7F (and any byte with the high bit set)
        return high | control | delete | zeroBytes(word ^ (0x22 &* ones)) | zeroBytes(word ^ (0x5C &* ones))
    }

    /// Appends what is held at the end of the recording: an incomplete character becomes U+FFFD.
    mutating func finish(into out: inout [UInt8]) {
        if !pending.isEmpty { out += Self.replacement }
        pending = []
    }

    /// Forgets a held partial character (the pane it came from is no longer recorded).
    mutating func reset() { pending = [] }

    /// Writes the first `consumed` bytes of `bytes` when they are one whole character, else U+FFFD.
    private static func copy(_ bytes: [UInt8], consumed: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        guard consumed == expectedLength(bytes[0]) else { return writeReplacement(to: out) }
        for offset in 0..<consumed { out[offset] = bytes[offset] }
        return consumed
    }

    /// Writes U+FFFD; returns 3.
    private static func writeReplacement(to out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = 0xEF
        out[1] = 0xBF
        out[2] = 0xBD
        return 3
    }

    /// JSON's escape for a control character or DEL: the short forms where JSON has them, else `\u00XX`.
    private static func escapeControl(_ byte: UInt8, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var short: UInt8 = 0
        switch byte {
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        default: break
        }
        out[0] = 0x5C
        if short != 0 {
            out[1] = short
            return 2
        }
        out[1] = UInt8(ascii: "u")
        out[2] = UInt8(ascii: "0")
        out[3] = UInt8(ascii: "0")
        out[4] = hexDigit(byte >> 4)
        out[5] = hexDigit(byte & 15)
        return 6
    }

    /// A lowercase hexadecimal digit for 0-15.
    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }

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

    /// The length a lead byte announces; 0 for a byte that cannot start a character.
    static func expectedLength(_ lead: UInt8) -> Int {
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
