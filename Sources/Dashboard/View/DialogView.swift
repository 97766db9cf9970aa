/// Draws an edit dialog centred over the screen, with each field's problem shown as it is typed.
public enum DialogView {
    /// Draws `dialog` centred over `bounds`. A field's problem is shown whole, wrapped under the field (the dialog
    /// grows to hold it): the end of a message often says what to do.
    public static func render(_ dialog: EditDialog, in bounds: Rect, buffer: inout ScreenBuffer, theme: Theme) {
        let labelWidth = dialog.fields.map { DisplayWidth.width(of: $0.label) }.max() ?? 0
        let width = min(bounds.width, max(64, DisplayWidth.width(of: dialog.title) + 4))
        // The field (and its note) starts after the border, a blank, the label and a blank; a blank ends it.
        let fieldWidth = max(1, width - 2 - labelWidth - 3)
        let notes = dialog.fields.enumerated().map { index, field in
            let note = field.problem ?? (index == dialog.focusedField ? "ok" : "")
            return TextWrap.lines(note, width: fieldWidth)
        }
        let height = min(bounds.height, 2 + notes.reduce(0) { $0 + 1 + max(1, $1.count) } + 1)
        let rect = bounds.centered(width: width, height: height)
        buffer.fill(rect, style: theme[.dialog])
        buffer.box(rect, style: theme[.focusedBorder], title: dialog.title, titleStyle: theme[.title])
        let inner = rect.inset(by: 1)
        var y = inner.y
        for (index, field) in dialog.fields.enumerated() {
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
            let noteStyle = field.problem == nil ? theme[.hint].on(theme[.dialog].background) : theme[.error]
            for (offset, line) in notes[index].enumerated() {
                buffer.write(line, x: fieldRect.x, y: y + 1 + offset, style: noteStyle, clip: inner)
            }
            y += 1 + max(1, notes[index].count)
        }
        let footer = dialog.isValid ? "Enter apply · Esc cancel" : "fix the field to apply · Esc cancel"
        buffer.write(
            footer, x: inner.x + 1, y: inner.maxY - 1, style: theme[.hint].on(theme[.dialog].background),
            clip: inner)
    }
}
