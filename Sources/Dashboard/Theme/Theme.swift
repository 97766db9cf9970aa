/// A named set of styles, one per role.
public struct Theme: Equatable, Sendable {
    /// The theme's name (from its file, or "default" / "mono" for the built-in ones).
    public var name: String
    /// The styles; a role missing here is drawn in the `normal` style.
    public var styles: [ThemeRole: Style]

    /// Makes a theme. A role with no background of its own is drawn on `normal`'s, so a theme that sets the
    /// screen's background (every shipped one does) is one colour pair throughout, whatever the terminal's own
    /// background: `light`'s dark text was unreadable on a dark terminal where a role left the background open.
    public init(name: String, styles: [ThemeRole: Style]) {
        self.name = name
        var styles = styles
        if let base = styles[.normal]?.background, base != .terminalDefault {
            for (role, style) in styles where style.background == .terminalDefault { styles[role] = style.on(base) }
        }
        self.styles = styles
    }

    /// The style for `role`, falling back to `normal`, then to the terminal's default.
    public subscript(role: ThemeRole) -> Style {
        styles[role] ?? styles[.normal] ?? .plain
    }
}

/// The themes compiled into nslab.
extension Theme {
    /// The built-in dark theme; identical to `themes/default.toml`, so nslab works with no files installed.
    public static let builtinDefault = Theme(
        name: "default",
        styles: [
            .normal: Style(foreground: .indexed(252), background: .indexed(234)),
            .border: Style(foreground: .indexed(240)),
            .focusedBorder: Style(foreground: .indexed(81), attributes: .bold),
            .title: Style(foreground: .indexed(229), attributes: .bold),
            .checkboxOn: Style(foreground: .indexed(114), attributes: .bold),
            .checkboxOff: Style(foreground: .indexed(245)),
            .disabled: Style(foreground: .indexed(241), attributes: .dim),
            .same: Style(foreground: .indexed(108)),
            .differs: Style(foreground: .indexed(215), attributes: .bold),
            .status: Style(foreground: .indexed(252), background: .indexed(236)),
            .error: Style(foreground: .indexed(231), background: .indexed(124), attributes: .bold),
            .childHighlight: Style(foreground: .indexed(159), attributes: .bold),
            .selection: Style(foreground: .indexed(16), background: .indexed(81)),
            .hint: Style(foreground: .indexed(244)),
            .key: Style(foreground: .indexed(222), attributes: .bold),
            .button: Style(foreground: .indexed(16), background: .indexed(114), attributes: .bold),
            .dialog: Style(foreground: .indexed(252), background: .indexed(237)),
            .input: Style(foreground: .indexed(231), background: .indexed(239)),
            .inputInvalid: Style(foreground: .indexed(231), background: .indexed(88)),
            .match: Style(foreground: .indexed(16), background: .indexed(222)),
        ])

    /// The built-in colourless theme for NO_COLOR and terminals without colour; identical to
    /// `themes/mono.toml`. It works with attributes alone.
    public static let builtinMono = Theme(
        name: "mono",
        styles: [
            .normal: Style(),
            .border: Style(),
            .focusedBorder: Style(attributes: .bold),
            .title: Style(attributes: .bold),
            .checkboxOn: Style(attributes: .bold),
            .checkboxOff: Style(),
            .disabled: Style(attributes: .dim),
            .same: Style(),
            .differs: Style(attributes: [.bold, .underline]),
            .status: Style(attributes: .reverse),
            .error: Style(attributes: [.reverse, .bold]),
            .childHighlight: Style(attributes: .bold),
            .selection: Style(attributes: .reverse),
            .hint: Style(attributes: .dim),
            .key: Style(attributes: .bold),
            .button: Style(attributes: [.reverse, .bold]),
            .dialog: Style(),
            .input: Style(attributes: .underline),
            .inputInvalid: Style(attributes: [.underline, .bold]),
            .match: Style(attributes: .underline),
        ])
}
