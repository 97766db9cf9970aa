/// What a piece of the screen means; themes give each role a style.
///
/// The raw value is the table name in a theme file (`[focused_border]`).
public enum ThemeRole: String, CaseIterable, Sendable, Hashable {
    /// Ordinary text and the screen's background.
    case normal
    /// Panel frames.
    case border
    /// The frame of the panel that has the keyboard.
    case focusedBorder = "focused_border"
    /// Panel titles.
    case title
    /// A ticked checkbox.
    case checkboxOn = "checkbox_on"
    /// An unticked checkbox.
    case checkboxOff = "checkbox_off"
    /// Something that cannot be used (a kind the kernel lacks, an option of an unticked kind).
    case disabled
    /// A value equal on host and child.
    case same
    /// A value that differs between host and child.
    case differs
    /// The status bar.
    case status
    /// Error messages.
    case error
    /// The child and its descendants in the process tree.
    case childHighlight = "child_highlight"
    /// The selected row.
    case selection
    /// Explanations and hints in small print.
    case hint
    /// Key names in hints and help ("F5", "q").
    case key
    /// A button such as Launch.
    case button
    /// Dialogs and the help overlay.
    case dialog
    /// A text input field.
    case input
    /// A text input that does not validate.
    case inputInvalid = "input_invalid"
    /// Rows matching the process search.
    case match
}
