import Foundation
import Testing

@testable import Dashboard

/// Theme TOML nested deep enough to overflow the stack, and text that only looks nested.
@Suite("Theme nesting")
struct ThemeNestingTests {
    /// The message of the error parsing `text` as a theme gives; "" when it parses.
    func error(parsing text: String) -> String {
        do {
            _ = try ThemeParser.parse(text, file: "/t/deep.toml")
            return ""
        } catch {
            return error.message
        }
    }

    /// Issue 12: a 70 KB theme of `[a.a.a…]` with 35,000 parts crashed nslab with SIGSEGV (toml++ freed the nested
    /// tables recursively). It is refused before toml++ sees it, at the part that passes the limit.
    @Test("a table header with 35,000 dotted parts is a theme error with file, line and column")
    func deepHeader() {
        let text = "name = \"x\"\n[" + Array(repeating: "a", count: 35_000).joined(separator: ".") + "]\nfg = \"red\"\n"
        let message = error(parsing: text)
        // '[' is column 1 and part n starts at column 2n; part 65 is the first one too many.
        #expect(message.contains("/t/deep.toml: line 2, column 130"), "\(message)")
        #expect(message.contains("nest more than 64 levels"), "\(message)")
    }

    /// Issue 12: the same overflow through values, which toml++ also parses recursively: 100,000 nested arrays or
    /// inline tables, a long dotted key, and arrays of tables.
    static let deepTexts: [String] = {
        let arrays: String = "a = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let tables: String =
            "a = " + String(repeating: "{b = ", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        let dottedKey: String = "[normal]\n" + Array(repeating: "k", count: 35_000).joined(separator: ".") + " = 1"
        let mixed: String = "x = [" + String(repeating: "{ a.b.c.d = [", count: 20_000) + "]"
        let header: String = Array(repeating: "t", count: 100).joined(separator: ".")
        let arrayTables: String = "[[t]]\n[[t]]\n[[" + header + "]]"
        return [arrays, tables, dottedKey, mixed, arrayTables]
    }()

    @Test("deep arrays, inline tables, dotted keys and arrays of tables are theme errors", arguments: deepTexts)
    func deepValues(text: String) {
        let message = error(parsing: text)
        #expect(message.contains("nest more than 64 levels") && message.contains("line "), "\(message.prefix(200))")
    }

    /// Guards against the depth scan refusing what is not nesting: brackets and dots inside strings, comments and
    /// quoted keys, floats in arrays, and nesting up to the limit.
    @Test("brackets and dots in strings, comments and quoted keys do not count as nesting")
    func notNesting() {
        let brackets = String(repeating: "[{", count: 10_000)
        let texts = [
            "name = \"\(brackets)\"\n[normal]\nfg = 'red' # \(brackets)\n",
            "name = '''\n\(brackets)\n'''\n[normal]\nfg = \"re\\\"d\"\n",
            "[\"" + Array(repeating: "a", count: 1_000).joined(separator: ".") + "\"]\n",
            "v = [" + Array(repeating: "1.5", count: 5_000).joined(separator: ", ") + "]\n",
            "a = " + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "\n",
            "[" + Array(repeating: "a", count: 63).joined(separator: ".") + "]\nb = 1\n",
        ]
        for text in texts {
            let message = error(parsing: text)
            #expect(!message.contains("nest more than"), "\(message.prefix(200))")
        }
        #expect(
            error(parsing: "a = " + String(repeating: "[", count: 64) + String(repeating: "]", count: 64))
                .contains("nest more than 64"))
    }
}
