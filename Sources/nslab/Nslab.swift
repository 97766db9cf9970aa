import ArgumentParser

@main
struct Nslab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nslab",
        abstract: "A terminal lab for Linux namespaces.",
        subcommands: [PsCommand.self, LsCommand.self, InspectCommand.self]
    )
}
