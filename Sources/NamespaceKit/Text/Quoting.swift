/// Quoting what a user gave inside a message, so the message stays one line and cannot drive the terminal.
///
/// Every message that repeats user input (a flag's value, a map line, a path, a command name) goes through
/// `quoted`, or `escapingControls` where quotes do not fit (`name: command not found`), on stderr and in the
/// dashboard alike: a raw newline would cut a one-line message short, and a raw ESC would reach the user's
/// terminal as a command. Control characters become C-style escapes (`\n`, `\t`, `\x1b`, `\u{9b}`).
/// Backslashes are left alone, so escaping twice changes nothing: `Nslab.fail` escapes a whole message once
/// more, as a last guard for messages nslab did not phrase itself (ArgumentParser's).
extension StringProtocol {
    /// The text with control characters (C0, DEL and C1) written as escapes.
    public var escapingControls: String {
        // The common case, nothing to escape, costs one pass over the bytes and no copy of scalars.
        guard utf8.contains(where: { $0 < 0x20 || $0 == 0x7f || $0 == 0xc2 }) else {
            return String(self)
        }
        var result = ""
        result.reserveCapacity(utf8.count + 8)
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x0a: result += "\\n"
            case 0x09: result += "\\t"
            case 0x0d: result += "\\r"
            case 0x00..<0x20, 0x7f: result += "\\x" + hexDigits(scalar.value, width: 2)
            case 0x80..<0xa0: result += "\\u{" + hexDigits(scalar.value, width: 2) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The text in single quotes with control characters escaped: `'a\nb'`. Use it for every value a
    /// message repeats back to the user.
    public var quoted: String { "'" + escapingControls + "'" }
}

/// `value` in lower-case hexadecimal, padded with zeros to `width` digits.
private func hexDigits(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
