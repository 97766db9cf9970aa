import Foundation
import Testing

/// User errors on the command line: one line on stderr that says what is wrong, and the right status
/// (issue 13, points 6, 8, 12, 14, 15 and 16).
@Suite("command line errors")
struct CommandLineErrorTests {
    /// Guards against `nslab run -- /nonexistent` and `-- /etc/passwd` exiting 1: 127 when not found, 126 when
    /// found but not runnable, as shells and unshare do, with one line naming the command.
    @Test(
        "a command not found exits 127, one found but not runnable 126",
        arguments: [
            (["run", "--", "/nonexistent"], Int32(127), "nslab: /nonexistent: command not found\n"),
            (["run", "/nonexistent"], Int32(127), "nslab: /nonexistent: command not found\n"),
            (["run", "--", "no-such-command-xyz"], Int32(127), "nslab: no-such-command-xyz: command not found\n"),
            (["run", "--", "/etc/passwd"], Int32(126), "nslab: /etc/passwd: Permission denied\n"),
            (["run", "--", "/tmp"], Int32(126), "nslab: /tmp: Is a directory\n"),
        ])
    func notFoundAndNotExecutable(arguments: [String], status: Int32, stderr: String) throws {
        let result = try Binary.run(arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr == stderr)
        #expect(result.stdout.isEmpty)
    }

    /// Guards against negative numbers being read as options ("Missing value", "Missing expected argument"),
    /// against `--theme ''` and `--shell /tmp` passing the up-front check, and against `help nosuch` exiting 0.
    @Test(
        "each wrong value says what is wrong with it, on one line",
        arguments: [
            (["inspect", "-5"], "a pid is a positive number"),
            (["inspect", "-1"], "a pid is a positive number"),
            (["inspect", "0"], "a pid is a positive number"),
            (["inspect", "abc"], "'abc' is not one"),
            (["inspect"], "inspect needs the pid of a process"),
            (["inspect", "1", "2"], "one too many"),
            (["inspect", "--bogus", "1"], "Unknown option '--bogus'"),
            (["inspect", "1", "--against", "-1"], "--against: a pid is a positive number; '-1' is not one"),
            (["--interval", "-1"], "--interval -1 is not between 0.1 and 3600 seconds"),
            (["--scrollback", "-1"], "--scrollback -1 is not between 0 and 1000000 lines"),
            (["--uid-map", "-0 0 1"], "map '-0 0 1' is not 'INSIDE OUTSIDE COUNT'"),
            (["run", "--user", "--gid-map", "-0 0 1"], "map '-0 0 1' is not 'INSIDE OUTSIDE COUNT'"),
            (["--theme", ""], "--theme needs a theme name"),
            (["--shell", "/tmp"], "--shell: /tmp: Is a directory"),
            (["--shell", "/etc/passwd"], "--shell: /etc/passwd: Permission denied"),
            (["help", "nosuch"], "there is no command 'nosuch'"),
            (["run", "--bogus"], "Unknown option '--bogus'"),
            (["run", "--uts", "-x", "y"], "Unknown option '-x'"),
        ])
    func saysWhatIsWrong(arguments: [String], fragment: String) throws {
        expectRefusal(try Binary.run(arguments), containing: fragment)
    }

    /// Guards against `--hostname $'a\nb'` printing only `nslab: hostname 'a` and `$'\e[31mred'` writing an
    /// escape sequence to the user's terminal: the whole message, on one line, with the input escaped.
    @Test(
        "what the user gave is quoted with control characters escaped",
        arguments: [
            (
                ["run", "--uts", "--hostname", "a\nb", "--", "true"],
                "nslab: hostname 'a\\nb' contains a blank, a slash or a control character\n"
            ),
            (
                ["run", "--uts", "--hostname", "\u{1b}[31mred", "--", "true"],
                "nslab: hostname '\\x1b[31mred' contains a blank, a slash or a control character\n"
            ),
            (
                ["run", "--user", "--uid-map", "0 0 1\n1 1 1"],
                "nslab: map '0 0 1\\n1 1 1' is not 'INSIDE OUTSIDE COUNT' with three non-negative numbers, e.g. '0 1000 1'\n"
            ),
            (
                ["--ns", "uts,p\u{1b}id"],
                "nslab: --ns: 'p\\x1bid' is not a namespace kind; use a comma-separated list of "
                    + "uts, ipc, pid, mount (or mnt), net, user, cgroup, time, or all\n"
            ),
            (["run", "--", "no\nsuch"], "nslab: no\\nsuch: command not found\n"),
            // ArgumentParser's own messages repeat input too; nslab escapes them on the way out.
            (["run", "--x\u{1b}y"], "nslab: Unknown option '--x\\x1by'; a command that starts with - goes after --\n"),
            (["ps", "--x\ny"], "nslab: Unknown option '--x\\ny'\n"),
        ])
    func quotesEscaped(arguments: [String], stderr: String) throws {
        let result = try Binary.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr == stderr)
    }

    /// Guards against 10,000 map lines taking minutes (ArgumentParser reads repeated options in quadratic
    /// time) before "at most 340": the count is checked first, for `run` and the dashboard.
    @Test("10,000 map lines are refused on their count, at once", arguments: [["run", "--user"], ["--ns", "user"]])
    func tooManyMapLines(prefix: [String]) throws {
        let maps = (0..<10_000).flatMap { ["--uid-map", "\($0) \($0) 1"] }
        let start = Date()
        let result = try Binary.run(prefix + maps + ["--", "true"])
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(result.status != 0)
        #expect(result.stderr == "nslab: uid map has 10000 lines; the kernel accepts at most 340\n")
    }

    /// Guards against a too-long map failing only at launch with "writing uid_map: Invalid argument".
    @Test("a map over 4095 bytes is refused before launch, naming the limit")
    func mapByteLimit() throws {
        let maps = (0..<171).flatMap { ["--uid-map", "\(4_000_000_000 + $0) \(4_000_000_000 + $0) 1"] }
        let result = try Binary.run(["run", "--user"] + maps + ["--", "true"])
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("nslab: uid map is 4104 bytes"), "\(result.stderr)")
        #expect(result.stderr.contains("at most 4095 bytes"))
    }

    /// Guards against `nslab run --help` saying "Unknown option '--help'": with the command taken from the first
    /// word that is not an option, ArgumentParser passes help and --version on as that word.
    @Test("run --help and run --version still answer", arguments: [["run", "--help"], ["run", "--uts", "-h"]])
    func runHelp(arguments: [String]) throws {
        let result = try Binary.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE: nslab run"), "\(result.stdout)")
        let version = try Binary.run(["run", "--version"])
        #expect(version.status == 0 && !version.stdout.isEmpty, "\(version.stderr)")
    }
}
