import ArgumentParser
import NamespaceKit

/// `nslab export`: the launch that `nslab run` would make, written out for the standard tools, as an
/// `unshare` line or as a C program, so what was tried in nslab can be done without it.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the launch `nslab run` would make as an unshare line or a C program.",
        discussion: """
            The flags after --unshare or --c are run's, checked as run checks them; nothing is launched.

            Examples:
              nslab export --unshare --pid --mount --mount-proc --uts --hostname lab
              nslab export --c --user --time --boottime 86400 -- cat /proc/uptime > launch.c
              gcc -Wall -Wextra -Werror -o launch launch.c && ./launch
            """
    )

    @Flag(help: "Print the util-linux unshare command line that does the same.") var unshare = false

    @Flag(name: .customLong("c"), help: "Print a complete C program (clone() with the flags) that does the same.")
    var cProgram = false

    @Argument(
        parsing: .captureForPassthrough,
        help: ArgumentHelp("run's flags, then the command (default $SHELL).", valueName: "run-flags"))
    var runArguments: [String] = []

    func validate() throws {
        guard unshare != cProgram else {
            throw ValidationError("give one of --unshare (an unshare command line) and --c (a C program)")
        }
        _ = try spec()
    }

    /// The launch the flags describe, validated as `nslab run` validates it.
    func spec() throws -> LaunchSpec {
        let run: RunCommand
        do {
            run = try RunCommand.parse(runArguments)
        } catch {
            throw ValidationError(RunCommand.message(for: error))
        }
        // An unshare line or a C program makes no veth pair: exporting it without the link would be another launch.
        if run.wireTo != nil {
            throw ValidationError("--wire-to is not exported: unshare and the C program make no veth pair; use nslab run")
        }
        try run.options.validate()
        return try run.options.makeSpec()
    }

    func run() throws {
        let spec = try spec()
        if unshare {
            StandardOutput.write(UnshareExport.line(spec) + "\n")
        } else {
            let flags = runArguments.map(ShellQuoting.word).joined(separator: " ")
            StandardOutput.write(CProgramExport.source(spec, flags: flags))
        }
    }
}
