import ArgumentParser
import CNamespaces
import Glibc
import NamespaceKit

/// Runs nslab: the `main` of the executable (Sources/nslab).
public func nslabMain() {
    Nslab.main()
}

struct Nslab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nslab",
        abstract: "A terminal lab for Linux namespaces.",
        version: nslabVersion,
        subcommands: [
            DashboardCommand.self, RunCommand.self, PsCommand.self, LsCommand.self, InspectCommand.self,
            EnterCommand.self, ExportCommand.self, LessonCommand.self, DoctorCommand.self, NetCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )

    /// Parses and runs, printing any error as one line on stderr (never a backtrace or a usage dump).
    static func main() {
        // Start from a clean signal mask: one inherited from a parent's thread (test runners, some
        // service managers) would silently block SIGTERM, SIGINT and SIGWINCH for the dashboard.
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
        if nsl_is_setuid() != 0 {
            fail("refusing to run setuid or setgid: nslab launches processes as its real user; run it as root instead")
        }
        do {
            let arguments = CommandLine.arguments.dropFirst()
            try checkBeforeParsing(arguments)
            // The plain `nslab run` line skips ArgumentParser's reflection (see RunQuickParse.swift).
            if arguments.first == "run", let options = RunOptions(quickParsing: arguments.dropFirst()) {
                try options.execute()
            }
            var command = try parseAsRoot()
            try command.run()
        } catch let status as ExitCode {
            // The child's own status; nothing to print.
            Glibc.exit(status.rawValue)
        } catch let failure as CommandFailure {
            fail(failure.description, code: failure.status)
        } catch {
            let code = exitCode(for: error)
            // Help and --version go through ArgumentParser unchanged.
            if code == .success { exit(withError: error) }
            fail(message(for: error), code: code.rawValue)
        }
    }

    /// Prints "nslab: MESSAGE" on stderr, as one line, and exits. Control characters left in the message (from
    /// ArgumentParser, which repeats what it was given as is) are escaped, never cut or passed to the terminal.
    static func fail(_ message: String, code: Int32 = 1) -> Never {
        let line = "nslab: \(message.escapingControls)\n"
        SystemCall.writeAll(.standardError, line)
        Glibc.exit(code == 0 ? 1 : code)
    }
}

/// Opens /proc for a command; a failure becomes the command's one-line error.
func openProc() throws -> ProcScanner {
    do {
        return try ProcScanner()
    } catch {
        throw CommandFailure(error.description)
    }
}
