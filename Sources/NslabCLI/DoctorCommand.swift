import ArgumentParser
import NamespaceKit

/// `nslab doctor`: kind by kind, whether this user can create each namespace here and the rule that stops it.
struct DoctorCommand: ParsableCommand {
    /// Name, abstract and discussion.
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Kind by kind: can this user create it here, and the rule that stops it.",
        discussion: """
            A throwaway child tries each kind (in this user namespace, then inside a new one), and the facts \
            behind the answers are read from /proc, /sys and /etc: seccomp, capabilities, no_new_privs, the \
            user.max_*_namespaces limits, the user namespace sysctls, the nesting depth, subuid ranges, the \
            kernel, cgroups, /proc's options, ptys and the terminal. Nothing is guessed: what cannot be read \
            is shown as ? (null in JSON). Each kind that cannot be created names its rule and a fix; launch \
            errors name the same rules.
            """
    )

    @Flag(name: .long, help: "Print JSON (schema in docs/json.md).")
    var json = false

    /// Probes, reads and prints.
    func run() throws {
        let report = Doctor.examine()
        if json {
            var writer = report.json
            writer.newline()
            StandardOutput.write(writer.bytes)
        } else {
            StandardOutput.write(report.text)
        }
    }
}
