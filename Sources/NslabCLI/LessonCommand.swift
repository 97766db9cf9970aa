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

    func run() throws {
        let loaded = LessonLoader.current().load()
        for problem in loaded.problems { SystemCall.writeAll(.standardError, "nslab: lesson left out: \(problem)\n") }
        if list {
            var text = ""
            for lesson in loaded.lessons {
                let number = String(lesson.number)
                text += String(repeating: " ", count: max(0, 2 - number.count)) + number + "  "
                text += lesson.name + String(repeating: " ", count: max(1, 10 - lesson.name.count))
                text += (lesson.needsRoot ? "root  " : "      ") + lesson.title + "\n"
            }
            if loaded.lessons.isEmpty { text = "no lessons found on the lesson path\n" }
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
