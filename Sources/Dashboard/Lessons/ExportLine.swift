import NamespaceKit

/// The bridge back to the standard tools: the `unshare` line that launches what the ticks and options say,
/// shown under Launch, and its copy to the terminal's clipboard with OSC 52.
public enum ExportLine {
    /// The `unshare` line for the model's ticks and options (its shell last); nil while nothing is ticked or
    /// the options do not make a launch (the Launch button says why then).
    public static func unshare(_ model: DashboardModel) -> String? {
        guard !model.ticked.isEmpty else { return nil }
        return unshare(model.launchRequest, shell: model.exportShell)
    }

    /// The `unshare` line for `request` with `shell` last; nil when its options do not make a launch.
    static func unshare(_ request: LaunchRequest, shell: String) -> String? {
        guard let spec = try? request.spec(shell: shell, size: WindowSize(rows: 24, columns: 80), environment: [])
        else { return nil }
        return UnshareExport.line(spec)
    }

    /// `nsenter -t PID --KIND...` for `target`, with `-r -w` (the target's root and working directory) when the
    /// mount namespace is joined, as nslab's C child does; quoted words, without the command.
    static func nsenterWords(_ target: JoinTarget) -> [String] {
        var words = ["nsenter", "-t", String(target.pid)]
        for kind in NamespaceKind.allCases where target.kinds.contains(kind) { words.append("--\(kind.rawValue)") }
        if target.kinds.contains(.mount) { words += ["-r", "-w"] }
        return words.map(ShellQuoting.word)
    }

    /// The `nsenter` line for a tab started with `e` (it joined another process's namespaces and created
    /// none): only the joined kinds, and `-r -w` (the target's root and working directory) when the mount
    /// namespace is joined, as nslab's C child does. Nil for any other tab, or none on show.
    public static func nsenter(_ model: DashboardModel) -> String? {
        guard let tab = model.shownTab, let target = tab.request.joining, tab.request.kinds.isEmpty,
            !target.kinds.isEmpty
        else { return nil }
        return (nsenterWords(target) + [ShellQuoting.word(model.exportShell)]).joined(separator: " ")
    }

    /// The line under Launch and the one `y` copies: the entered tab's `nsenter` line while such a tab is
    /// on show, else the `unshare` line of the ticks.
    public static func current(_ model: DashboardModel) -> String? {
        nsenter(model) ?? unshare(model)
    }

    /// True when `term` names a terminal that takes OSC 52 (xterm and the emulators that follow it). Others
    /// (the Linux console, dumb terminals) would print the sequence's text, so nothing is sent to them.
    public static func supportsClipboard(term: String?) -> Bool {
        guard let term, !term.isEmpty else { return false }
        let families = [
            "xterm", "tmux", "screen", "rxvt", "alacritty", "kitty", "foot", "wezterm", "st-", "konsole",
            "gnome", "vte", "contour", "ghostty",
        ]
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
    /// `y`: copies the line under Launch (nsenter for an entered tab, else unshare) with OSC 52 where the
    /// terminal takes it, and says so.
    mutating func copyExportLine() -> [DashboardAction] {
        guard let line = ExportLine.current(self) else {
            show("Tick at least one kind (keys 1-8): the unshare line follows the ticks.", isError: true)
            return []
        }
        guard clipboardWorks else {
            show("This terminal takes no OSC 52 clipboard; the line is under Launch.", isError: true)
            return []
        }
        show("copied: \(line)")
        return [.copy(line)]
    }
}
