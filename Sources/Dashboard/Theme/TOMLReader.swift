import CThemeTOML

/// A TOML value, as much of one as a theme file needs; tables keep their keys in file order.
indirect enum TOMLValue: CustomStringConvertible {
    case table([(key: String, value: TOMLValue)])
    case array([TOMLValue])
    case string(String)
    case integer(Int64)
    /// A boolean, float, date or time: its type name.
    case other(String)

    /// The text of a string.
    var string: String? { if case .string(let text) = self { text } else { nil } }
    /// The value of an integer.
    var int: Int? { if case .integer(let number) = self { Int(exactly: number) } else { nil } }
    /// The entries of a table.
    var table: [(key: String, value: TOMLValue)]? { if case .table(let entries) = self { entries } else { nil } }
    /// The elements of an array.
    var array: [TOMLValue]? { if case .array(let elements) = self { elements } else { nil } }

    /// The value as it would be written in TOML (short forms for tables, arrays and other kinds).
    var description: String {
        switch self {
        case .table: "a table"
        case .array: "a list"
        case .string(let text): "\"\(text)\""
        case .integer(let number): String(number)
        case .other(let type): "a \(type)"
        }
    }
}

/// TOML that does not parse: toml++'s description and where it starts.
struct TOMLSyntaxError: Error {
    let message: String
    let line: Int
    let column: Int
}

/// Parses TOML with toml++ through the CThemeTOML target.
enum TOMLReader {
    /// The top-level table of `text`.
    static func parse(_ text: String) throws(TOMLSyntaxError) -> [(key: String, value: TOMLValue)] {
        try withRoot(of: text) { value(of: $0).table ?? [] }
    }

    /// Parses `text` with toml++ and hands `body` the document's root table, freed when `body` returns: the one
    /// place a text meets the parser, for themes and lessons. A syntax error is thrown with toml++'s position.
    static func withRoot<Result>(of text: String, _ body: (OpaquePointer) -> Result) throws(TOMLSyntaxError) -> Result {
        var text = text
        var message = [CChar](repeating: 0, count: 512)
        var line: Int32 = 0
        var column: Int32 = 0
        let document = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                nsl_toml_parse(chars.baseAddress, chars.count, &message, message.count, &line, &column)
            }
        }
        guard let document else {
            let description = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw TOMLSyntaxError(message: description, line: Int(line), column: Int(column))
        }
        defer { nsl_toml_free(document) }
        return body(nsl_toml_root(document))
    }

    private static func value(of node: OpaquePointer) -> TOMLValue {
        switch nsl_toml_node_kind(node) {
        case NSL_TOML_TABLE:
            return .table(
                (0..<nsl_toml_node_count(node)).map { index in
                    var length = 0
                    let key = string(nsl_toml_node_key(node, index, &length), length)
                    return (key, value(of: nsl_toml_node_child(node, index)))
                })
        case NSL_TOML_ARRAY:
            return .array((0..<nsl_toml_node_count(node)).map { value(of: nsl_toml_node_child(node, $0)) })
        case NSL_TOML_STRING:
            return .string(text(of: node))
        case NSL_TOML_INTEGER:
            return .integer(nsl_toml_node_integer(node))
        default:
            return .other(text(of: node))
        }
    }

    /// A node's value as toml++ prints it (strings unquoted).
    static func text(of node: OpaquePointer) -> String {
        var length = 0
        return string(nsl_toml_node_text(node, &length), length)
    }

    /// The `length` UTF-8 bytes at `pointer` (a key or a string the document owns); "" for none.
    static func string(_ pointer: UnsafePointer<CChar>?, _ length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
}
