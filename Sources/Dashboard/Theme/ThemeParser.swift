import NamespaceKit

/// A theme that cannot be used; the message names the file, the key and the problem.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One sentence a user can act on.
    public let message: String
    /// Makes an error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}

/// Turns theme TOML into a `Theme`, strictly: unknown roles, keys, colours and attributes are errors,
/// because a typo silently ignored is a theme that mysteriously does not apply.
public enum ThemeParser {
    /// Colour names a theme may use, as indexes of the ANSI palette (-1: the terminal's default).
    static let colorNames: [String: Int] = {
        let base = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
        var names: [String: Int] = ["default": -1, "grey": 8, "gray": 8]
        for (index, name) in base.enumerated() {
            names[name] = index
            names["bright-" + name] = index + 8
        }
        return names
    }()

    /// Parses the TOML text of a theme; `file` is only used in error messages.
    public static func parse(_ text: String, file: String) throws(ThemeError) -> Theme {
        let table: [(key: String, value: TOMLValue)]
        do {
            table = try TOMLReader.parse(text)
        } catch {
            throw ThemeError("theme file \(file.escapingControls): line \(error.line), column \(error.column): \(error.message).")
        }
        var name = baseName(of: file)
        var styles: [ThemeRole: Style] = [:]
        for (key, value) in table {
            if key == "name" {
                guard let text = value.string else {
                    throw ThemeError("theme file \(file.escapingControls): key 'name': must be a string.")
                }
                name = text
                continue
            }
            guard let role = ThemeRole(rawValue: key) else {
                let known = ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")
                throw ThemeError("theme file \(file.escapingControls): key \(key.quoted): unknown role (known: name, \(known)).")
            }
            guard let roleTable = value.table else {
                throw ThemeError("theme file \(file.escapingControls): key \(key.quoted): must be a table like [\(key)] with fg, bg, attrs.")
            }
            styles[role] = try style(from: roleTable, key: key, file: file)
        }
        return Theme(name: name, styles: styles)
    }

    /// Reads one role's table.
    static func style(from table: [(key: String, value: TOMLValue)], key: String, file: String) throws(ThemeError)
        -> Style
    {
        var style = Style()
        for (field, value) in table {
            let path = "\(key).\(field)"
            switch field {
            case "fg": style.foreground = try color(from: value, path: path, file: file)
            case "bg": style.background = try color(from: value, path: path, file: file)
            case "attrs":
                guard let array = value.array else {
                    throw ThemeError("theme file \(file.escapingControls): key \(path.quoted): must be a list such as [\"bold\"].")
                }
                for item in array {
                    let word = item.string ?? ""
                    guard let attribute = TextAttributes.names.first(where: { $0.0 == word })?.1 else {
                        let known = TextAttributes.names.map(\.0).joined(separator: ", ")
                        throw ThemeError(
                            "theme file \(file.escapingControls): key \(path.quoted): unknown attribute \((item.string ?? item.description).quoted) (known: \(known))."
                        )
                    }
                    style.attributes.insert(attribute)
                }
            default:
                throw ThemeError("theme file \(file.escapingControls): key \(path.quoted): unknown key (use fg, bg, attrs).")
            }
        }
        return style
    }

    /// Reads a colour: an integer 0-255, a name, or "#rrggbb".
    static func color(from value: TOMLValue, path: String, file: String) throws(ThemeError) -> Color {
        let problem = "theme file \(file.escapingControls): key \(path.quoted):"
        if let number = value.int {
            guard (0...255).contains(number) else {
                throw ThemeError("\(problem) colour number \(number) is out of range 0-255.")
            }
            return .indexed(UInt8(number))
        }
        guard let text = value.string else {
            throw ThemeError("\(problem) a colour must be a name, a number 0-255 or \"#rrggbb\".")
        }
        if let parsed = parseColor(text) { return parsed }
        throw ThemeError("\(problem) unknown colour \(text.quoted) (use a name such as red, a number 0-255 or \"#rrggbb\").")
    }

    /// Parses a colour written as text: a name, digits 0-255, or "#rrggbb"; nil when it is none of those.
    public static func parseColor(_ text: String) -> Color? {
        let lower = text.lowercased()
        if let index = colorNames[lower] { return index < 0 ? .terminalDefault : .indexed(UInt8(index)) }
        if let number = Int(lower), (0...255).contains(number) { return .indexed(UInt8(number)) }
        let hex = Array(lower.utf8)
        guard hex.count == 7, hex[0] == UInt8(ascii: "#") else { return nil }
        var bytes: [UInt8] = []
        for i in stride(from: 1, to: 7, by: 2) {
            guard let byte = UInt8(String(decoding: hex[i...i + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return .rgb(bytes[0], bytes[1], bytes[2])
    }

    /// "solarized" for "/a/b/solarized.toml": the name a theme gets when its file has no `name` key.
    static func baseName(of path: String) -> String {
        var name = Substring(path.split(separator: "/").last ?? Substring(path))
        if name.hasSuffix(".toml") { name = name.dropLast(5) }
        return String(name)
    }
}
