import NamespaceKit

/// The bridge back to the standard tools: the `unshare` line that launches what the ticks and options say,
/// shown under Launch, and its copy to the terminal's clipboard with OSC 52.
public enum ExportLine {
    /// The `unshare` line for the model's ticks and options (its shell last); nil while nothing is ticked or
    /// the options do not make a launch (the Launch button says why then).
    public static func unshare(_ model: DashboardModel) -> String? {
        guard !model.ticked.isEmpty,
            let spec = try? model.launchRequest.spec(
                shell: model.exportShell, size: WindowSize(rows: 24, columns: 80), environment: [])
        else { return nil }
        return UnshareExport.line(spec)
    }

    /// True when `term` names a terminal that takes OSC 52 (xterm and the emulators that follow it). Others
    /// (the Linux console, dumb terminals) would print the sequence's text, so nothing is sent to them.
    public static func supportsClipboard(term: String?) -> Bool {
        guard let term, !term.isEmpty else { return false }
        let families = ["xterm", "tmux", "screen", "rxvt", "alacritty", "kitty", "foot", "wezterm", "st-", "konsole",
            "gnome", "vte", "contour", "ghostty"]
        return families.contains { term == $0 || term.hasPrefix($0) } || term == "st"
    }

    /// The OSC 52 sequence that puts `text` on the clipboard ("y").
    public static func osc52(_ text: String) -> String {
        "\u{1b}]52;c;" + base64(Array(text.utf8)) + "\u{07}"
    }

    /// Standard base64 with padding (nslab keeps Foundation out, so it is written here).
    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let a = UInt32(bytes[index])
            let b = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let c = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = a << 16 | b << 8 | c
            out.append(table[Int(triple >> 18 & 63)])
            out.append(table[Int(triple >> 12 & 63)])
            out.append(index + 1 < bytes.count ? table[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? table[Int(triple & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension DashboardModel {
    /// `y`: copies the unshare line with OSC 52 where the terminal takes it, and says so.
    mutating func copyExportLine() -> [DashboardAction] {
        guard let line = ExportLine.unshare(self) else {
            show("Tick at least one kind (keys 1-8): the unshare line follows the ticks.", isError: true)
            return []
        }
        guard clipboardWorks else {
            show("This terminal takes no OSC 52 clipboard; the unshare line is under Launch.", isError: true)
            return []
        }
        show("copied: \(line)")
        return [.copy(line)]
    }
}
