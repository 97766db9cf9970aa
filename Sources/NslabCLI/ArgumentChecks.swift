import ArgumentParser
import NamespaceKit

/// Checks made on the raw command line before ArgumentParser sees it, for what ArgumentParser gets wrong.
extension Nslab {
    /// Throws `CommandFailure` (usage status 64) for a `help` of a command that does not exist, which
    /// ArgumentParser answers with the main help and status 0, and for more map lines than the kernel takes,
    /// which ArgumentParser would need minutes to read (its parse is quadratic in the number of options).
    static func checkBeforeParsing(_ arguments: ArraySlice<String>) throws {
        if arguments.first == "help", let name = arguments.dropFirst().first {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName }
            guard names.contains(name) || name == "help" || name.hasPrefix("-") else {
                throw CommandFailure(
                    "there is no command \(name.quoted); the commands are \(names.joined(separator: ", "))",
                    status: ExitCode.validationFailure.rawValue)
            }
        }
        if let error = MapLineCount(arguments).excess {
            throw CommandFailure(error.description, status: ExitCode.validationFailure.rawValue)
        }
    }
}

/// How many `--uid-map` and `--gid-map` options a command line gives, counted up to the command (`--`, or the
/// first word that is neither an option nor an option's value).
struct MapLineCount {
    /// The number of `--uid-map` options.
    private(set) var uid = 0
    /// The number of `--gid-map` options.
    private(set) var gid = 0

    /// Counts the map options in `arguments` (everything after `nslab`), walking the command's `OptionTable` to
    /// know which options take the next argument as their value.
    init(_ arguments: ArraySlice<String>) {
        var index = arguments.startIndex
        // The subcommand's name, if any, is a word before the options.
        var command: String?
        if let first = arguments.first, !first.hasPrefix("-") {
            command = first
            index += 1
        }
        let options = OptionTable.options(afterCommand: command)
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            if argument == "--" || !argument.hasPrefix("-") { break }
            guard argument.hasPrefix("--") else { continue }
            let body = argument.dropFirst(2)
            let equals = body.firstIndex(of: "=")
            let name = body[..<(equals ?? body.endIndex)]
            if name == "uid-map" { uid += 1 }
            if name == "gid-map" { gid += 1 }
            if equals == nil, OptionTable.option(named: name, in: options)?.option.takesValue == true { index += 1 }
        }
    }

    /// The error for a map with more lines than the kernel accepts, or nil.
    var excess: IDMapError? {
        if uid > IDMap.maxLines { return .tooManyLines(.uid, uid) }
        if gid > IDMap.maxLines { return .tooManyLines(.gid, gid) }
        return nil
    }
}
