import ArgumentParser
struct PsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps")
}
