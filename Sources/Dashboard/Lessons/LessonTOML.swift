import CThemeTOML

/// A TOML value with where it starts in its file, so a lesson's mistakes are reported at their line and column
/// (themes do not need this and keep `TOMLValue`).
struct LocatedTOML {
    /// What the value is.
    indirect enum Value {
        case table([(key: String, value: LocatedTOML)])
        case array([LocatedTOML])
        case string(String)
        case integer(Int64)
        case boolean(Bool)
        /// A float, date or time: its type name.
        case other(String)
    }

    var value: Value
    /// 1-based; 0 when toml++ did not say.
    var line: Int
    var column: Int

    /// What the value is, in words for a message ("a string", "a table").
    var typeName: String {
        switch value {
        case .table: "a table"
        case .array: "a list"
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "a boolean"
        case .other(let type): "a \(type)"
        }
    }

    /// Parses `text` with toml++; the top-level table.
    static func parse(_ text: String) throws(TOMLSyntaxError) -> LocatedTOML {
        try TOMLReader.withRoot(of: text) { table in
            var root = node(table)
            root.line = 1
            root.column = 1
            return root
        }
    }

    private static func node(_ node: OpaquePointer) -> LocatedTOML {
        let value: Value
        switch nsl_toml_node_kind(node) {
        case NSL_TOML_TABLE:
            value = .table(
                (0..<nsl_toml_node_count(node)).map { index in
                    var length = 0
                    let key = TOMLReader.string(nsl_toml_node_key(node, index, &length), length)
                    return (key, Self.node(nsl_toml_node_child(node, index)))
                })
        case NSL_TOML_ARRAY:
            value = .array((0..<nsl_toml_node_count(node)).map { Self.node(nsl_toml_node_child(node, $0)) })
        case NSL_TOML_STRING:
            value = .string(TOMLReader.text(of: node))
        case NSL_TOML_INTEGER:
            value = .integer(nsl_toml_node_integer(node))
        case NSL_TOML_BOOLEAN:
            value = .boolean(nsl_toml_node_integer(node) != 0)
        default:
            value = .other(TOMLReader.text(of: node))
        }
        return LocatedTOML(value: value, line: Int(nsl_toml_node_line(node)), column: Int(nsl_toml_node_column(node)))
    }
}
