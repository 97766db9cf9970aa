import Glibc
import NamespaceKit

/// How much of the OSC 133 prompt marks a pane's shell emits, so a lesson card can say what it can follow.
public enum PromptMarks: String, Sendable, Equatable {
    /// A (prompt start), B (command start), C (output start) and D;STATUS (command end).
    case full
    /// A, B and D but no C: the shell has no hook that runs before a command (dash, busybox sh), so output is
    /// taken to start on the row below the command line.
    case noOutputMark
    /// No marks: a shell nslab does not know, or one that cannot be given marks where it runs (zsh, dash and
    /// busybox sh in another mount namespace, where nslab's start-up files are out of sight).
    case none
}

/// The shells whose start-up nslab knows how to extend with prompt marks.
public enum MarkedShell: String, Sendable, Equatable, CaseIterable {
    case bash, zsh, fish, dash
    /// busybox's sh (ash).
    case busybox

    /// The shell at `path`, by its name (`bash`, `zsh`, `fish`, `dash`, `ash`, `busybox`), else by the name of
    /// the file a link leads to (`/bin/sh` is dash on Debian, busybox on Alpine); nil for any other program.
    /// `file` is that file when the path lies in another root than nslab's (a container's), where following the
    /// link here would find the host's.
    public static func at(_ path: String, file: String? = nil) -> MarkedShell? {
        if let shell = named(baseName(path)) { return shell }
        if let file { return named(baseName(file)) }
        guard let target = realpath(path, nil) else { return nil }
        defer { free(target) }
        return named(baseName(String(cString: target)))
    }

    private static func named(_ name: String) -> MarkedShell? {
        switch name {
        case "bash": .bash
        case "zsh": .zsh
        case "fish": .fish
        case "dash": .dash
        case "ash", "busybox": .busybox
        default: nil
        }
    }

    /// The last component of `path`.
    static func baseName(_ path: String) -> String {
        String(path.split(separator: "/", omittingEmptySubsequences: true).last ?? Substring(path))
    }
}

/// Gives the shell of a pane the OSC 133 prompt marks (what `ShellScripts` says), without touching the user's
/// files: a wrapper start-up file that reads the user's own, or, where the wrapper cannot be seen, the
/// environment or the command line alone. Used only for panes: `nslab run` and `nslab export` keep the
/// user's launch as it is.
public enum ShellIntegration {
    /// Rewrites `spec` (a pane's launch of one bare shell) so the shell emits prompt marks, and says which it
    /// will emit. `files` are nslab's wrapper start-up files, nil when they could not be written; a launch that
    /// joins another mount namespace cannot see them and gets what the environment (or its command line) alone
    /// gives: bash and fish keep every mark, dash and busybox theirs through PS1, and zsh none (it finds its
    /// start-up files only through ZDOTDIR). There the user's rc files run after the environment is read and
    /// may set PS1 or PROMPT_COMMAND, which drops the marks they carry. A command nslab does not know, or one
    /// with arguments, is left as it is.
    /// `shellFile` is the file the shell's path leads to inside a joined root (see `MarkedShell.at`).
    public static func addPromptMarks(
        to spec: inout LaunchSpec, files: ShellStartupFiles?, shellFile: String? = nil
    ) -> PromptMarks {
        guard spec.command.count == 1, let shell = MarkedShell.at(spec.command[0], file: shellFile) else {
            return .none
        }
        let visible = spec.joining?.kinds.contains(.mount) == true ? nil : files
        var environment = spec.environment ?? SystemCall.environment()
        defer { spec.environment = environment }
        switch (shell, visible) {
        case (.bash, let files?):
            spec.command += ["--rcfile", files.bashRC]
            return .full
        case (.bash, nil):
            // Newlines between the parts: the user's own may end in `;` or `&`, which `; ;` would make an error.
            let user = value(of: "PROMPT_COMMAND", in: environment).map { "\n" + $0 } ?? ""
            let promptCommand = ShellScripts.bashPromptCommandStart + user + "\n" + ShellScripts.bashPromptCommandEnd
            set("PROMPT_COMMAND", to: promptCommand, in: &environment)
            set("PS0", to: (value(of: "PS0", in: environment) ?? "") + ShellScripts.bashOutputMark, in: &environment)
            return .full
        case (.fish, _):
            spec.command += ["--init-command", ShellScripts.fishInit]
            return .full
        case (.zsh, let files?):
            // The user's ZDOTDIR travels apart, so their files are found while ZDOTDIR points at nslab's.
            if let own = value(of: "ZDOTDIR", in: environment) { set("NSLAB_USER_ZDOTDIR", to: own, in: &environment) }
            set("ZDOTDIR", to: files.zshDirectory, in: &environment)
            return .full
        case (.dash, let files?), (.busybox, let files?):
            if let own = value(of: "ENV", in: environment) { set("NSLAB_USER_ENV", to: own, in: &environment) }
            set("ENV", to: shell == .dash ? files.dashENV : files.ashENV, in: &environment)
            if shell == .busybox { askBusyboxForItsShell(&spec) }
            return .noOutputMark
        case (.dash, nil):
            let prompt = value(of: "PS1", in: environment) ?? "# "
            set("PS1", to: ShellScripts.dashPrompt(around: prompt), in: &environment)
            return .noOutputMark
        case (.busybox, nil):
            let prompt = value(of: "PS1", in: environment) ?? #"\w \$ "#
            set("PS1", to: ShellScripts.ashPrompt(around: prompt), in: &environment)
            askBusyboxForItsShell(&spec)
            return .noOutputMark
        case (.zsh, nil):
            return .none
        }
    }

    /// busybox runs the applet its name says: started as `busybox` it lists its applets and exits, so the pane
    /// asks it for its shell.
    private static func askBusyboxForItsShell(_ spec: inout LaunchSpec) {
        if MarkedShell.baseName(spec.command[0]) == "busybox" { spec.command.append("sh") }
    }

    /// The value of `name` in `environment` (`NAME=value` strings), nil when it is not set.
    static func value(of name: String, in environment: [String]) -> String? {
        let prefix = name + "="
        return environment.last { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    /// Sets `name` in `environment`, replacing every earlier value.
    static func set(_ name: String, to value: String, in environment: inout [String]) {
        let prefix = name + "="
        environment.removeAll { $0.hasPrefix(prefix) }
        environment.append(prefix + value)
    }
}
