/// Draws an edit dialog centred over the screen, with each field's problem shown as it is typed.
public enum DialogView {
    /// Draws `dialog` centred over `bounds`.
    public static func render(_ dialog: EditDialog, in bounds: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        let labelWidth = dialog.fields.map { DisplayWidth.width(of: $0.label) }.max() ?? 0
        let width = min(bounds.width, max(64, DisplayWidth.width(of: dialog.title) + 4))
        let height = 2 + dialog.fields.count * 2 + 1
        let rect = bounds.centered(width: width, height: height)
        buffer.fill(rect, style: theme[.dialog])
        buffer.box(rect, style: theme[.focusedBorder], title: dialog.title, titleStyle: theme[.title])
        let inner = rect.inset(by: 1)
        for (index, field) in dialog.fields.enumerated() {
            let y = inner.y + index * 2
            buffer.write(
                DisplayWidth.padded(field.label, to: labelWidth) + " ", x: inner.x + 1, y: y,
                style: theme[.dialog], clip: inner)
            let fieldRect = Rect(
                x: inner.x + labelWidth + 2, y: y, width: inner.maxX - inner.x - labelWidth - 3,
                height: 1)
            let style = field.problem == nil ? theme[.input] : theme[.inputInvalid]
            buffer.fill(fieldRect, style: style)
            var text = field.text
            // Keep the end of a long entry visible, where the typing happens.
            while DisplayWidth.width(of: text) >= fieldRect.width, !text.isEmpty { text.removeFirst() }
            let cursor = index == dialog.focusedField ? "▏" : ""
            buffer.write(text + cursor, x: fieldRect.x, y: y, style: style, clip: fieldRect)
            let note = field.problem ?? (index == dialog.focusedField ? "ok" : "")
            buffer.write(
                DisplayWidth.truncated(note, to: max(0, fieldRect.width)), x: fieldRect.x, y: y + 1,
                style: field.problem == nil ? theme[.hint].on(theme[.dialog].background) : theme[.error],
                clip: inner)
        }
        let footer = dialog.isValid ? "Enter apply · Esc cancel" : "fix the field to apply · Esc cancel"
        buffer.write(
            footer, x: inner.x + 1, y: inner.maxY - 1, style: theme[.hint].on(theme[.dialog].background),
            clip: inner)
    }
}
