/// A JSON value as container engines write their state files (runc's `state.json`, Docker's `config.v2.json`,
/// containers/storage's `containers.json`). NamespaceKit does not link Foundation, and those files are read
/// only for a name or a pid, so a small tolerant reader is enough: anything malformed gives nil.
indirect enum StateJSON: Sendable, Equatable {
    case object([String: StateJSON])
    case array([StateJSON])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// Parses a whole document; nil when it is not JSON.
    static func parse(_ bytes: [UInt8]) -> StateJSON? {
        var parser = Parser(bytes: bytes)
        guard let value = parser.value() else { return nil }
        return value
    }

    /// The member `key` of an object.
    subscript(key: String) -> StateJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The text of a string value.
    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A number as an integer, when it is one.
    var integer: Int64? {
        if case .number(let number) = self, number == number.rounded(), abs(number) < 9.2e18 { return Int64(number) }
        return nil
    }

    /// The elements of an array.
    var elements: [StateJSON] {
        if case .array(let elements) = self { return elements }
        return []
    }

    /// The members of an object.
    var members: [String: StateJSON] {
        if case .object(let members) = self { return members }
        return [:]
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        /// Nesting left before the reader gives up (a state file is a few levels deep).
        var depthLeft = 64

        mutating func skipBlanks() {
            while index < bytes.count,
                bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
                    || bytes[index] == 0x09
            {
                index += 1
            }
        }

        mutating func value() -> StateJSON? {
            skipBlanks()
            guard index < bytes.count, depthLeft > 0 else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object()
            case UInt8(ascii: "["): return array()
            case UInt8(ascii: "\""): return string().map(StateJSON.string)
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default: return number()
            }
        }

        mutating func literal(_ word: String, _ value: StateJSON) -> StateJSON? {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected
            else { return nil }
            index += expected.count
            return value
        }

        mutating func number() -> StateJSON? {
            let start = index
            while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
            guard index > start, let number = Double(String(decoding: bytes[start..<index], as: UTF8.self))
            else { return nil }
            return .number(number)
        }

        mutating func object() -> StateJSON? {
            index += 1
            depthLeft -= 1
            defer { depthLeft += 1 }
            var members: [String: StateJSON] = [:]
            skipBlanks()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipBlanks()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let key = string() else { return nil }
                skipBlanks()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let member = value() else { return nil }
                members[key] = member
                skipBlanks()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                } else {
                    return nil
                }
            }
        }

        mutating func array() -> StateJSON? {
            index += 1
            depthLeft -= 1
            defer { depthLeft += 1 }
            var elements: [StateJSON] = []
            skipBlanks()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                guard let element = value() else { return nil }
                elements.append(element)
                skipBlanks()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(elements)
                } else {
                    return nil
                }
            }
        }

        /// A string at `index` (which is the opening quote); escapes decoded, `\u` as one scalar.
        mutating func string() -> String? {
            index += 1
            var utf8: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { return String(decoding: utf8, as: UTF8.self) }
                guard byte == UInt8(ascii: "\\") else {
                    utf8.append(byte)
                    continue
                }
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count,
                        let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
                    else { return nil }
                    index += 4
                    utf8.append(contentsOf: Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8))
                default: utf8.append(escape)
                }
            }
            return nil
        }
    }
}
