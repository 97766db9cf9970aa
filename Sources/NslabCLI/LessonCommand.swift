import ArgumentParser
import Dashboard
import NamespaceKit

/// `nslab lesson [N|NAME]`: the dashboard started in a guided lesson; `--list` lists them.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Start the dashboard in a guided lesson, or list the lessons.",
        discussion: """
            Lessons are TOML files (docs/lessons.md) found in $NSLAB_LESSON_PATH, \
            $XDG_CONFIG_HOME/nslab/lessons, beside the binary and in share/nslab/lessons. \
            In the dashboard, L opens the same list.
            """
    )

    @Argument(help: ArgumentHelp("The lesson's number or name (see --list).", valueName: "N|NAME"))
    var lesson: String?

    @Flag(help: "List the lessons: number, name, title, and whether it needs root.")
    var list = false

    @Option(help: ArgumentHelp("A theme by name or a TOML file's path.", valueName: "NAME|PATH"))
    var theme: String?

    @Option(help: ArgumentHelp("The shell launched in children (default $SHELL, else /bin/sh).", valueName: "PATH"))
    var shell: String?

    @Option(help: DashboardCommand.notebookHelp)
    var notebook: String?

    @Flag(help: DashboardCommand.presentHelp)
    var present = false

    func validate() throws {
        if list && lesson != nil { throw ValidationError("give either --list or a lesson, not both") }
        if !list && lesson == nil { throw ValidationError("name a lesson (a number or a name), or use --list") }
    }

    /// The `--list` table: number (right-aligned), name, `root` where the lesson needs it, title; each column as
    /// wide as its widest entry, so every title starts in the same column whatever the names.
    static func listText(_ rows: [(number: Int, name: String, needsRoot: Bool, title: String)]) -> String {
        let numberWidth = rows.map { String($0.number).count }.max() ?? 1
        let nameWidth = rows.map { $0.name.count }.max() ?? 0
        let rootWidth = rows.contains { $0.needsRoot } ? 6 : 0
        var text = ""
        for row in rows {
            text += pad(String(row.number), numberWidth, right: true) + "  " + pad(row.name, nameWidth) + "  "
            text += pad(row.needsRoot ? "root" : "", rootWidth) + row.title + "\n"
        }
        return text
    }

    func run() throws {
        let loaded = LessonLoader.current().load()
        for problem in loaded.problems { SystemCall.writeAll(.standardError, "nslab: lesson left out: \(problem)\n") }
        if list {
            let rows = loaded.lessons.map {
                (number: $0.number, name: $0.name, needsRoot: $0.needsRoot, title: $0.title)
            }
            let text = rows.isEmpty ? "no lessons found on the lesson path\n" : Self.listText(rows)
            SystemCall.writeAll(.standardOutput, text)
            return
        }
        guard let lesson, let chosen = loaded.find(lesson) else {
            let known = loaded.lessons.map { "\($0.number) \($0.name)" }.joined(separator: ", ")
            throw ValidationError("no lesson \((lesson ?? "").quoted); the lessons are: \(known)")
        }
        if chosen.needsRoot && SystemCall.effectiveUserID != 0 {
            throw ValidationError("lesson \(chosen.number) (\(chosen.name)) needs root: run it with sudo")
        }
        var dashboard = try DashboardCommand.parse(theme.map { ["--theme", $0] } ?? [])
        dashboard.shell = shell
        dashboard.notebook = notebook
        dashboard.present = present
        var options = try dashboard.makeOptions()
        options.lesson = chosen.number
        options.lessons = loaded
        let system = DashboardSystem.live(
            shell: try dashboard.resolvedShell(), scrollback: dashboard.scrollback, inBackground: true)
        let status = Dashboard.run(options: options, system: system)
        if status != 0 { throw ExitCode(status) }
    }
}
