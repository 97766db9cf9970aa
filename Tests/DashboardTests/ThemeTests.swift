import Foundation
import Testing

@testable import Dashboard

/// The repository's themes/ folder, found from this file so the tests need no resources.
let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("themes").path

@Suite("Themes")
struct ThemeTests {
    func parseFile(_ name: String) throws -> Theme {
        let path = themesFolder + "/" + name + ".toml"
        return try ThemeParser.parse(String(contentsOfFile: path, encoding: .utf8), file: path)
    }

    @Test("the built-in default is identical to themes/default.toml")
    func builtinDefault() throws {
        #expect(try parseFile("default") == Theme.builtinDefault)
    }

    @Test("the built-in mono is identical to themes/mono.toml, and has no colour")
    func builtinMono() throws {
        let mono = try parseFile("mono")
        #expect(mono == Theme.builtinMono)
        for style in mono.styles.values {
            #expect(style.foreground == .terminalDefault && style.background == .terminalDefault)
        }
    }

    @Test(
        "every theme file parses and gives every role a style",
        arguments: [
            "default", "light", "mono", "high-contrast", "solarized",
        ])
    func everyTheme(name: String) throws {
        let theme = try parseFile(name)
        #expect(theme.name == name)
        #expect(Set(theme.styles.keys) == Set(ThemeRole.allCases))
    }

    @Test("colours: names, numbers and #rrggbb")
    func colours() {
        #expect(ThemeParser.parseColor("red") == .indexed(1))
        #expect(ThemeParser.parseColor("bright-blue") == .indexed(12))
        #expect(ThemeParser.parseColor("Default") == .terminalDefault)
        #expect(ThemeParser.parseColor("200") == .indexed(200))
        #expect(ThemeParser.parseColor("#0a0B0c") == .rgb(10, 11, 12))
        #expect(ThemeParser.parseColor("256") == nil)
        #expect(ThemeParser.parseColor("#12345") == nil)
        #expect(ThemeParser.parseColor("#12345g") == nil)
        #expect(ThemeParser.parseColor("blu") == nil)
    }

    func error(parsing text: String) -> String {
        do {
            _ = try ThemeParser.parse(text, file: "/t/bad.toml")
            return "no error"
        } catch {
            return error.message
        }
    }

    @Test("errors name the file, the key and the problem")
    func errors() {
        let colour = error(parsing: "[border]\nfg = \"blu\"\n")
        #expect(
            colour.contains("/t/bad.toml") && colour.contains("'border.fg'") && colour.contains("unknown colour 'blu'"))
        let range = error(parsing: "[title]\nbg = 300\n")
        #expect(range.contains("'title.bg'") && range.contains("out of range"))
        let role = error(parsing: "[bordr]\nfg = 1\n")
        #expect(role.contains("'bordr'") && role.contains("unknown role"))
        let field = error(parsing: "[border]\ncolour = 1\n")
        #expect(field.contains("'border.colour'") && field.contains("unknown key"))
        let attribute = error(parsing: "[border]\nattrs = [\"blink\"]\n")
        #expect(attribute.contains("'border.attrs'") && attribute.contains("blink"))
        let syntax = error(parsing: "[border\nfg = 1\n")
        #expect(syntax.contains("/t/bad.toml") && syntax.contains("line 1"))
    }

    @Test("a role left out is drawn like normal")
    func fallback() throws {
        let theme = try ThemeParser.parse("[normal]\nfg = 3\n", file: "x.toml")
        #expect(theme[.border] == Style(foreground: .indexed(3)))
        #expect(theme.name == "x")
    }

    @Test("lookup by name walks the search path; by path reads the file; NO_COLOR means mono")
    func lookup() throws {
        let folder = NSTemporaryDirectory() + "nslab-themes-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "name = \"mine\"\n[title]\nfg = \"#ff0000\"\n".write(
            toFile: folder + "/mine.toml", atomically: true, encoding: .utf8)
        let loader = ThemeLoader(
            environment: ["NSLAB_THEME_PATH": "/nonexistent:" + folder, "HOME": "/home/x"],
            executableDirectory: "/opt/nslab/bin")
        #expect(loader.searchPath.prefix(3) == ["/nonexistent", folder, "/home/x/.config/nslab/themes"])
        #expect(loader.searchPath.contains("/opt/nslab/bin/themes"))
        #expect(try loader.load("mine").name == "mine")
        #expect(try loader.load(folder + "/mine.toml")[.title].foreground == .rgb(255, 0, 0))
        #expect(try loader.load(nil) == .builtinDefault)  // no default.toml anywhere: the built-in one
        #expect(throws: ThemeError.self) { try loader.load("absent") }
        do {
            _ = try loader.load("absent")
        } catch {
            #expect(error.message.contains("absent.toml") && error.message.contains(folder))
        }
        do {
            _ = try loader.load("/no/such/theme.toml")
        } catch {
            #expect(error.message.contains("/no/such/theme.toml") && error.message.contains("cannot be read"))
        }
        // NO_COLOR gives mono, but a theme that does not exist is still an error, so a typo shows.
        let noColor = ThemeLoader(environment: ["NO_COLOR": "1", "NSLAB_THEME_PATH": folder], executableDirectory: nil)
        #expect(try noColor.load("mine") == .builtinMono)
        #expect(throws: ThemeError.self) { try noColor.load("absent") }
        let emptyNoColor = ThemeLoader(
            environment: ["NO_COLOR": "", "NSLAB_THEME_PATH": themesFolder],
            executableDirectory: nil)
        #expect(try emptyNoColor.load("light").name == "light")
    }
}
