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
            "default", "light", "mono", "high-contrast", "solarized", "projector-light", "projector-dark",
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

    /// Every theme file in themes/, by name.
    static var shippedThemes: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: themesFolder)) ?? []).filter { $0.hasSuffix(".toml") }
            .map { String($0.dropLast(5)) }.sorted()
    }

    /// Guards against `light` drawn on a dark terminal's own background: dark grey on near-black. A theme that
    /// colours its text sets the background under it too, and every role without a background of its own is drawn
    /// on that one, so no cell mixes the theme's text with the terminal's background.
    @Test("every shipped theme sets a background on [normal], which every role without one is drawn on")
    func backgroundEverywhere() throws {
        #expect(Self.shippedThemes.count >= 7, "found \(Self.shippedThemes) in \(themesFolder)")
        for name in Self.shippedThemes {
            let path = themesFolder + "/" + name + ".toml"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let theme = try ThemeParser.parse(text, file: path)
            let normal = theme[.normal]
            // Written in the file, not left to a default: the format asks each theme to decide.
            let normalTable =
                text.components(separatedBy: "\n[normal]\n").dropFirst().first?
                .components(separatedBy: "\n[").first ?? ""
            #expect(normalTable.contains("bg ="), "\(name): [normal] names no bg")
            if normal.foreground != .terminalDefault {
                #expect(normal.background != .terminalDefault, "\(name): coloured text on the terminal's background")
                for role in ThemeRole.allCases {
                    #expect(
                        theme[role].background != .terminalDefault,
                        "\(name): \(role) is drawn on the terminal's own background")
                }
            }
        }
    }

    @Test("a role without a background is drawn on normal's; one with its own keeps it")
    func inheritedBackground() throws {
        let theme = try ThemeParser.parse(
            "[normal]\nfg = 16\nbg = 231\n[border]\nfg = 240\n[status]\nfg = 231\nbg = 19\n", file: "x.toml")
        #expect(theme[.border] == Style(foreground: .indexed(240), background: .indexed(231)))
        #expect(theme[.status] == Style(foreground: .indexed(231), background: .indexed(19)))
        #expect(theme[.hint] == Style(foreground: .indexed(16), background: .indexed(231)))
    }

    /// WCAG's contrast ratio of two colours (1 to 21), from the xterm palette's sRGB values.
    static func contrast(_ a: Color, _ b: Color) -> Double? {
        func luminance(_ color: Color) -> Double? {
            let rgb: (UInt8, UInt8, UInt8)
            switch color {
            case .terminalDefault: return nil
            case .indexed(let index): rgb = ColorMapping.rgb(ofIndex: index)
            case .rgb(let r, let g, let b): rgb = (r, g, b)
            }
            func linear(_ channel: UInt8) -> Double {
                let value = Double(channel) / 255
                return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * linear(rgb.0) + 0.7152 * linear(rgb.1) + 0.0722 * linear(rgb.2)
        }
        guard let first = luminance(a), let second = luminance(b) else { return nil }
        return (max(first, second) + 0.05) / (min(first, second) + 0.05)
    }

    /// A projector halves contrast: the pair is held to WCAG's enhanced 7:1 for every role (3:1 for what is
    /// disabled, which is meant to recede), in the light and in the dark one.
    @Test(
        "the projector themes: every role at least 7:1 against its background",
        arguments: [
            "projector-light", "projector-dark",
        ])
    func projectorContrast(name: String) throws {
        let theme = try parseFile(name)
        for role in ThemeRole.allCases {
            let style = theme[role]
            let ratio = try #require(Self.contrast(style.foreground, style.background), "\(name) \(role)")
            #expect(ratio >= (role == .disabled ? 3 : 7), "\(name) \(role): \(ratio):1")
        }
        // Differences are emphasised beyond colour, too.
        #expect(theme[.differs].attributes.contains(.bold))
    }

    @Test("every coloured shipped theme's ordinary text reads at 4.5:1 or more")
    func ordinaryTextContrast() throws {
        for name in Self.shippedThemes {
            let theme = try parseFile(name)
            guard let ratio = Self.contrast(theme[.normal].foreground, theme[.normal].background) else { continue }
            #expect(ratio >= 4.5, "\(name): \(ratio):1")
        }
    }
}
