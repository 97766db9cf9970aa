/// The one word-wrapper: breaks text into lines of at most `width` display columns at spaces. Every panel,
/// the help and the status bar wrap with it, so wide characters are measured the same way everywhere.
public enum TextWrap {
    /// The lines of `text`. A word wider than a line is cut over several lines; a command in backticks
    /// stays on one line when it fits, so it can be read and typed as shown.
    public static func lines(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        var current = ""
        for word in words(text, width: width) {
            var word = word
            // A word too long for any line is cut into pieces of the width, never splitting a wide character.
            while DisplayWidth.width(of: word) > width {
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                var piece = DisplayWidth.prefix(word, fitting: width)
                if piece.isEmpty { piece = String(word.prefix(1)) }  // a wide character on a 1-column line
                lines.append(piece)
                word = String(word.dropFirst(piece.count))
            }
            if word.isEmpty { continue }
            let candidate = current.isEmpty ? word : current + " " + word
            if DisplayWidth.width(of: candidate) <= width {
                current = candidate
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The words of `text`, with each backtick-quoted command kept together as one when it fits in `width`;
    /// a longer command falls back to its own words, so it is still wrapped at spaces.
    static func words(_ text: String, width: Int) -> [String] {
        var words: [String] = []
        var inCommand = false
        for word in text.split(separator: " ") {
            if inCommand, let last = words.popLast() {
                words.append(last + " " + word)
            } else {
                words.append(String(word))
            }
            if word.filter({ $0 == "`" }).count % 2 == 1 { inCommand.toggle() }
        }
        return words.flatMap { word in
            DisplayWidth.width(of: word) > width && word.contains(" ")
                ? word.split(separator: " ").map(String.init) : [word]
        }
    }
}
