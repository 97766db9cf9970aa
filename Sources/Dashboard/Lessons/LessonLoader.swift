import NamespaceKit

/// What loading found: the usable lessons, by number, and one message per file that was left out.
public struct LoadedLessons: Equatable, Sendable {
    /// The lessons, lowest number first.
    public var lessons: [Lesson]
    /// One line per bad file (`FILE:LINE:COLUMN: ...`); the dashboard starts without those lessons.
    public var problems: [LessonError]

    /// Makes a result.
    public init(lessons: [Lesson] = [], problems: [LessonError] = []) {
        self.lessons = lessons
        self.problems = problems
    }

    /// The lesson `N` or `NAME` names.
    public func find(_ numberOrName: String) -> Lesson? {
        if let number = Int(numberOrName) { return lessons.first { $0.number == number } }
        return lessons.first { $0.name == numberOrName.lowercased() }
    }
}

/// Finds the lesson files, searched like themes: every `*.toml` in these folders, a file name found in an
/// earlier folder hiding the same name in a later one:
/// 1. every folder in `$NSLAB_LESSON_PATH` (colon-separated);
/// 2. `$XDG_CONFIG_HOME/nslab/lessons`, else `~/.config/nslab/lessons`;
/// 3. `lessons/` next to the binary, `../share/nslab/lessons` relative to it, and the `lessons/` of the
///    source tree a build's binary sits in (`.build/...`), so `swift run` finds the repo's;
/// 4. `/usr/local/share/nslab/lessons`, then `/usr/share/nslab/lessons`.
public struct LessonLoader: Sendable {
    /// The environment consulted (injectable for tests).
    public var environment: [String: String]
    /// The folder holding the nslab binary, if known.
    public var executableDirectory: String?

    /// Makes a loader.
    public init(environment: [String: String], executableDirectory: String?) {
        self.environment = environment
        self.executableDirectory = executableDirectory
    }

    /// A loader over the real environment and binary.
    public static func current() -> LessonLoader {
        LessonLoader(
            environment: ProcessEnvironment.all(), executableDirectory: ProcessEnvironment.executableDirectory())
    }

    /// The folders searched, in order.
    public var searchPath: [String] {
        var folders: [String] = []
        if let list = environment["NSLAB_LESSON_PATH"] {
            folders += list.split(separator: ":").map(String.init)
        }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            folders.append(xdg + "/nslab/lessons")
        } else if let home = environment["HOME"], !home.isEmpty {
            folders.append(home + "/.config/nslab/lessons")
        }
        if let dir = executableDirectory {
            folders.append(dir + "/lessons")
            folders.append(dir + "/../share/nslab/lessons")
            let parts = dir.split(separator: "/", omittingEmptySubsequences: false)
            if let build = parts.firstIndex(of: ".build"), build > 0 {
                folders.append(parts[..<build].joined(separator: "/") + "/lessons")
            }
        }
        folders += ["/usr/local/share/nslab/lessons", "/usr/share/nslab/lessons"]
        return folders
    }

    /// Loads every lesson on the search path.
    public func load() -> LoadedLessons {
        var seen = Set<String>()
        var files: [String] = []
        for folder in searchPath {
            for name in Self.tomlFiles(in: folder) where seen.insert(name).inserted {
                files.append(folder + "/" + name)
            }
        }
        return Self.load(files: files)
    }

    /// Loads these files; a bad one, or one whose number an earlier file has, becomes a problem.
    public static func load(files: [String]) -> LoadedLessons {
        var result = LoadedLessons()
        for path in files {
            do {
                let lesson = try loadFile(path)
                if let earlier = result.lessons.first(where: { $0.number == lesson.number }) {
                    let place = numberPlace(in: path)
                    result.problems.append(
                        LessonError(
                            file: path, line: place.line, column: place.column,
                            message: "lesson number \(lesson.number) is taken by \(earlier.file)"))
                    continue
                }
                result.lessons.append(lesson)
            } catch {
                result.problems.append(error)
            }
        }
        result.lessons.sort { $0.number < $1.number }
        return result
    }

    /// Reads and parses one file.
    public static func loadFile(_ path: String) throws(LessonError) -> Lesson {
        switch SystemCall.readRegularFile(path, limit: 256 * 1024) {
        case .success(let bytes):
            return try LessonParser.parse(String(decoding: bytes, as: UTF8.self), file: path)
        case .failure(let failure):
            let reason: String
            switch failure {
            case .notRegular: reason = "not a regular file"
            case .tooLarge(let size, _): reason = "\(size) bytes; a lesson file is at most 256 KiB"
            case .system(let error): reason = "cannot be read (\(error))"
            }
            throw LessonError(file: path, line: 1, column: 1, message: reason)
        }
    }

    /// Where `number =` is in a file, for the duplicate-number message.
    static func numberPlace(in path: String) -> (line: Int, column: Int) {
        guard case .success(let bytes) = SystemCall.readRegularFile(path, limit: 256 * 1024),
            let root = try? LocatedTOML.parse(String(decoding: bytes, as: UTF8.self)),
            case .table(let entries) = root.value, let node = entries.first(where: { $0.key == "number" })?.value
        else { return (1, 1) }
        return (node.line, node.column)
    }

    /// The `*.toml` names in a folder, sorted; none when it cannot be read.
    static func tomlFiles(in folder: String) -> [String] {
        let names = SystemCall.directoryEntries(folder) ?? []
        return names.filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted()
    }
}
