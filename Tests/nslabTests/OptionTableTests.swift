import Foundation
import Testing

@testable import NslabCLI

/// `OptionTable` is what the quick `run` reader and the map-line count know of each command; ArgumentParser knows
/// the `@Option`/`@Flag` properties. Guards against an option added to one and not the other (issue 23): a valued
/// option missing from the table made the map-line count take its value for the command and stop counting.
@Suite("option table")
struct OptionTableTests {
    /// One long option as ArgumentParser declares it, from its JSON dump of the command tree.
    struct Declared: Equatable, CustomStringConvertible {
        let name: String
        let takesValue: Bool
        /// Nil for a flag: ArgumentParser's dump says "not repeating" for each case of an array of
        /// `EnumerableFlag`s (run's kind flags), which take every repeat; `kindFlagsRepeat` checks those by parsing.
        let repeats: Bool?

        var description: String { "--\(name) (value: \(takesValue), repeats: \(repeats.map(String.init) ?? "-"))" }
    }

    @Test("every command's table holds exactly the long options ArgumentParser declares, with the same shape")
    func tablesMatchArgumentParser() throws {
        let declared = try Self.declaredOptions()
        // Every subcommand (the dashboard among them) must be found, or the loop below would check nothing.
        #expect(Set(declared.keys) == Set(OptionTable.byCommand.keys))
        for (command, options) in declared {
            let table = try #require(OptionTable.byCommand[command], "no table for \(command)")
            let listed = table.map {
                Declared(name: $0.name, takesValue: $0.takesValue, repeats: $0.takesValue ? $0.repeats : nil)
            }
            for option in options {
                #expect(listed.contains(option), "nslab \(command): ArgumentParser's \(option) is not in the table")
            }
            for option in listed {
                #expect(options.contains(option), "nslab \(command): the table's \(option) is not ArgumentParser's")
            }
            #expect(Set(listed.map(\.name)).count == listed.count, "nslab \(command): a name is listed twice")
        }
    }

    /// --inside and --wire-to name a process that ArgumentParser's `run()` resolves and checks in /proc.
    @Test("run's table gives the quick reader a field for every option but --inside and --wire-to, each field once")
    func runFields() {
        let fields = OptionTable.run.compactMap(\.field)
        #expect(OptionTable.run.filter { $0.field == nil }.map(\.name) == ["inside", "wire-to"])
        for flag in KindFlag.allCases {
            #expect(fields.filter { $0 == .kind(flag) }.count == flag.longNames.count)
        }
        let others: [RunField] = [
            .hostname, .mapRoot, .uidMap, .gidMap, .mountProc, .monotonic, .boottime, .noLoopback,
        ]
        for field in others { #expect(fields.filter { $0 == field }.count == 1, "\(field)") }
        // The quick reader keeps one bit per option.
        #expect(OptionTable.run.count <= 64)
    }

    /// Guards against `--inside` missing from the count's list of valued options: its pid was taken for the
    /// command and the map options after it went uncounted.
    @Test(
        "the map-line count skips each valued option's value, as the command's table says",
        arguments: [
            (["run", "--inside", "42", "--uid-map", "0 0 1", "--gid-map=0 0 1", "--", "--uid-map"], 1, 1),
            (["--ns", "user", "--theme", "mono", "--uid-map", "0 0 1", "--uid-map", "1 1 1"], 2, 0),
            (["export", "--c", "--user", "--hostname", "h", "--gid-map", "0 0 1", "id", "--gid-map", "x"], 0, 1),
            (["run", "--user", "sh", "--uid-map", "0 0 1"], 0, 0),
        ])
    func mapLineCount(arguments: [String], uid: Int, gid: Int) {
        let count = MapLineCount(arguments[...])
        #expect(count.uid == uid && count.gid == gid)
    }

    @Test("a flag repeats in the table exactly when ArgumentParser keeps every occurrence (run's kind flags)")
    func kindFlagsRepeat() {
        for option in OptionTable.run where !option.takesValue {
            let line = ["run", "--\(option.name)", "--\(option.name)", "--uts", "--pid", "--mount", "--", "true"]
            // A flag ArgumentParser refuses twice does not repeat either.
            let parsed = (try? Nslab.parseAsRoot(line)) as? RunCommand
            let kept = parsed?.options.kindFlags.count == 5
            #expect(
                option.repeats == kept, "--\(option.name): repeats \(option.repeats), ArgumentParser kept both: \(kept)"
            )
        }
    }

    /// The long options of every subcommand of `nslab`, read from ArgumentParser's `--experimental-dump-help`
    /// JSON. `--help` and `--version` are left out: ArgumentParser answers them itself (run's `validate()` hands
    /// them back to it), before any reader of nslab's needs to know them.
    static func declaredOptions() throws -> [String: [Declared]] {
        let json = try #require(Nslab._dumpHelp().data(using: .utf8))
        let root = try JSONDecoder().decode(Dump.self, from: json).command
        var result: [String: [Declared]] = [:]
        for command in root.subcommands ?? [] where command.commandName != "help" {
            result[command.commandName] = (command.arguments ?? []).compactMap { argument -> [Declared]? in
                guard argument.kind != "positional" else { return nil }
                let long = (argument.names ?? []).filter { $0.kind == "long" }.map(\.name)
                guard !long.contains("help"), !long.contains("version") else { return nil }
                let option = argument.kind == "option"
                return long.map { Declared(name: $0, takesValue: option, repeats: option ? argument.isRepeating : nil) }
            }.flatMap { $0 }
        }
        return result
    }

    /// The part of ArgumentParser's help dump (ArgumentParserToolInfo's `ToolInfoV0`) these tests read.
    struct Dump: Decodable {
        struct Command: Decodable {
            let commandName: String
            let subcommands: [Command]?
            let arguments: [Argument]?
        }
        struct Argument: Decodable {
            struct Name: Decodable {
                let kind: String
                let name: String
            }
            let kind: String
            let names: [Name]?
            let isRepeating: Bool
        }
        let command: Command
    }
}
