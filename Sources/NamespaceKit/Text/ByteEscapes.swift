/// Backslash escapes that stand for one byte, as the kernel writes paths in mountinfo (`\040`) and systemd writes
/// unit names (`\x2d`): one decoder for both.
enum ByteEscapes {
    /// `text` with each `\`, then `marker` when there is one, then `digits` digits in `radix` replaced by the byte
    /// they give; a backslash that starts no such escape (or one whose value is over 255) stays as it is.
    static func decoding(_ text: Substring, marker: UInt8?, digits: Int, radix: Int) -> String {
        guard text.contains("\\") else { return String(text) }
        let source = Array(text.utf8)
        let digitsStart = marker == nil ? 1 : 2
        let length = digitsStart + digits
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "\\"), index + length - 1 < source.count,
                marker.map({ source[index + 1] == $0 }) ?? true,
                let value = UInt8(
                    String(decoding: source[(index + digitsStart)..<(index + length)], as: UTF8.self), radix: radix)
            {
                bytes.append(value)
                index += length
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
