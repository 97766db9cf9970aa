import ArgumentParser
struct LsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls")
}
