import Foundation
import TestSupport
import Testing

/// A tmux server of its own (a private socket), for driving the real dashboard as a person would.
/// The server and everything in it are killed when the value goes away.
final class TmuxSession {
    let socket: String
    let name = "t"

    /// Starts `command` in a detached session of `width` x `height` cells.
    init(_ command: String, width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws {
        socket = "nslab-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        let exports = environment.map { "export \($0.key)='\($0.value)'; " }.joined()
        // remain-on-exit keeps the pane (and its last screen) after the command ends.
        try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", name, exports + command])
        _ = try? tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit {
        _ = try? tmux(["kill-server"])
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let result = try Binary.runProgram("/usr/bin/tmux", ["-L", socket, "-f", "/dev/null"] + arguments)
        guard result.status == 0 else {
            throw TmuxError(message: "tmux \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        return result.stdout
    }

    /// Types keys as tmux names them ("F5", "C-]", "Enter") or literal text with `literal`.
    func send(_ keys: String..., literal: Bool = false) throws {
        try tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    /// The visible screen as lines of text.
    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", name])
    }

    /// The visible screen as a terminal shows it, line drawing included: captured with its escapes (tmux marks
    /// cells drawn in the alternate character set with SO ... SI, a run going on
    /// over line ends), SGR dropped, and ACS letters turned into the
    /// box characters they stand for (`lqqk` as `┌──┐`). Plain `capture-pane` gives the letters themselves.
    func drawnScreen() throws -> String {
        let raw = try tmux(["capture-pane", "-e", "-p", "-t", name])
        let lineDrawing: [Character: Character] = [
            "q": "─", "x": "│", "l": "┌", "k": "┐", "m": "└", "j": "┘", "t": "├", "u": "┤", "w": "┬", "v": "┴",
            "n": "┼",
        ]
        var result = ""
        var alternate = false
        var index = raw.startIndex
        while index < raw.endIndex {
            let character = raw[index]
            index = raw.index(after: index)
            switch character {
            case "\u{0E}": alternate = true
            case "\u{0F}": alternate = false
            case "\u{1B}":
                // CSI: parameters up to a final byte in @...~.
                guard index < raw.endIndex, raw[index] == "[" else { continue }
                index = raw.index(after: index)
                while index < raw.endIndex, !("@"..."~").contains(raw[index]) { index = raw.index(after: index) }
                if index < raw.endIndex { index = raw.index(after: index) }
            default:
                result.append(alternate ? lineDrawing[character] ?? character : character)
            }
        }
        return result
    }

    /// The terminal device of the pane, where a test can write output as if the program in it had.
    func paneTTY() throws -> String {
        try tmux(["display-message", "-p", "-t", name, "#{pane_tty}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Waits until the screen contains `text` (a regular expression with `regex`), up to `timeout`
    /// seconds; returns that screen.
    @discardableResult
    func waitFor(_ text: String, regex: Bool = false, timeout: Double = 5) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if regex ? last.range(of: text, options: .regularExpression) != nil : last.contains(text) { return last }
            usleep(50_000)
        }
        // The screen also goes to stderr at once: a failure's message with a whole screen in it has been seen cut
        // short in swift test's log, which lost what the test waited for.
        let message = "timed out waiting for '\(text)' in tmux session \(name); screen:\n\(last)"
        FileHandle.standardError.write(Data(("\n" + message + "\n").utf8))
        throw TmuxError(message: message)
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The pid of the process running in the pane.
    func panePID() throws -> pid_t {
        pid_t(
            try tmux(["display-message", "-p", "-t", name, "#{pane_pid}"]).trimmingCharacters(
                in: .whitespacesAndNewlines)) ?? -1
    }

    /// Whether the terminal in the pane is on its alternate screen.
    func alternateScreen() throws -> Bool {
        try tmux(["display-message", "-p", "-t", name, "#{alternate_on}"]).hasPrefix("1")
    }

    /// Whether the pane's command has ended (remain-on-exit keeps the pane).
    func paneDead() throws -> Bool {
        try tmux(["display-message", "-p", "-t", name, "#{pane_dead}"]).hasPrefix("1")
    }
}

struct TmuxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
