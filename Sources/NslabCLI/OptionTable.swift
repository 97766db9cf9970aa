/// The long options of nslab's commands, written once for the readers that run before ArgumentParser: the quick
/// reader of `nslab run` (RunQuickParse.swift) and the map-line count (ArgumentChecks.swift). ArgumentParser's
/// own picture comes from the `@Option`/`@Flag` properties; OptionTableTests checks every table against it both
/// ways (the same names, each taking a value and repeating as ArgumentParser says), so an option added to a
/// command and forgotten here fails a test instead of silently miscounting map lines.
struct CommandOption: Sendable {
    /// The long name, without its dashes.
    let name: String
    /// Whether the option takes a value, as the next argument or after `=`.
    let takesValue: Bool
    /// Whether the option may be given more than once.
    let repeats: Bool
    /// What the quick `run` reader sets from it; nil where that reader leaves the line to ArgumentParser.
    let field: RunField?

    /// An option that takes no value.
    static func flag(_ name: String, repeats: Bool = false, field: RunField? = nil) -> CommandOption {
        CommandOption(name: name, takesValue: false, repeats: repeats, field: field)
    }

    /// An option that takes a value.
    static func valued(_ name: String, repeats: Bool = false, field: RunField? = nil) -> CommandOption {
        CommandOption(name: name, takesValue: true, repeats: repeats, field: field)
    }
}

/// The `RunOptions` field an option of `nslab run` sets.
enum RunField: Equatable, Sendable {
    case kind(KindFlag)
    case hostname, mapRoot, uidMap, gidMap, mountProc, monotonic, boottime, noLoopback
}

/// The long options of each command, by the command's name.
enum OptionTable {
    /// `nslab run`. Every kind flag (with `--mnt` beside `--mount`) may repeat, as the `[KindFlag]` property
    /// takes it; `--inside` and `--wire-to` are left to ArgumentParser, whose `run()` resolves and checks their pids.
    static let run: [CommandOption] =
        KindFlag.allCases.flatMap { flag in
            flag.longNames.map { CommandOption.flag($0, repeats: true, field: .kind(flag)) }
        }
        + [
            .valued("hostname", field: .hostname),
            .flag("map-root", field: .mapRoot),
            .valued("uid-map", repeats: true, field: .uidMap),
            .valued("gid-map", repeats: true, field: .gidMap),
            .flag("mount-proc", field: .mountProc),
            .valued("monotonic", field: .monotonic),
            .valued("boottime", field: .boottime),
            .flag("no-loopback", field: .noLoopback),
            .valued("inside"),
            .valued("wire-to"),
        ]

    /// The dashboard, `nslab` with no subcommand.
    static let dashboard: [CommandOption] = [
        .valued("ns"), .valued("hostname"), .valued("uid-map", repeats: true), .valued("gid-map", repeats: true),
        .flag("launch"), .valued("theme"), .valued("interval"), .valued("shell"), .valued("scrollback"),
        .valued("notebook"), .flag("present"),
    ]

    /// Every command's options by its name. `enter` reads its words by hand and `export` passes run's flags on to
    /// `RunCommand`, so their tables hold only what ArgumentParser itself declares for them.
    static let byCommand: [String: [CommandOption]] = [
        "dashboard": dashboard,
        "run": run,
        "ps": [.flag("flat"), .flag("json")],
        "ls": [.flag("tree"), .flag("json")],
        "inspect": [.valued("against"), .flag("json")],
        "enter": [],
        "export": [.flag("unshare"), .flag("c")],
        "lesson": [.flag("list"), .valued("theme"), .valued("shell"), .valued("notebook"), .flag("present")],
        "doctor": [.flag("json")],
        "net": [.flag("json")],
    ]

    /// The options a command line starting with `word` (nil: no subcommand) may hold before its command. Export's
    /// words after its own flags are run's; a word that names no command gets every table's options, so no option
    /// of any command is mistaken for the start of a command.
    static func options(afterCommand word: String?) -> [CommandOption] {
        // run and the dashboard first, without building the dictionary: this is on every start of nslab.
        switch word {
        case nil, "dashboard": return dashboard
        case "run": return run
        case "export": return (byCommand["export"] ?? []) + run
        case let word?: return byCommand[word] ?? byCommand.values.flatMap { $0 }
        }
    }

    /// The option of `options` named `name` (without dashes), by a plain scan: the tables are short, and a
    /// dictionary would cost more to build than the few comparisons of one command line.
    static func option(named name: Substring, in options: [CommandOption]) -> (index: Int, option: CommandOption)? {
        for (index, option) in options.enumerated() where option.name == name { return (index, option) }
        return nil
    }
}
