import Foundation
import TestSupport
import Testing

/// The repository's lessons/ folder, given to the binary under test however it was built or copied.
private let lessonFolder: String = {
    let parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    return parts.dropLast(3).joined(separator: "/") + "/lessons"
}()

/// One classic lesson as a learner follows it: its key in the list, and the Host vs child row (and /proc kind)
/// that must differ once its steps are done.
struct ClassicLesson: CustomTestStringConvertible, Sendable {
    var number: Int
    var row: String
    var kind: String
    var testDescription: String { "lesson \(number) (\(row))" }
}

/// One step of a shipped lesson as its file gives it: where it runs (`child`, `host`, `observe`) and its command.
struct FileStep: Sendable {
    var kind: String
    var command: String
}

/// A wrong try the learner makes before a step's right command: `setup` typed first (commands no step matches),
/// then `wrong`, a line the step matches but whose status, output or check fails; the card must show ✗ and
/// `hint`; `repair` then undoes the setup before the right command is typed.
struct WrongTry: Sendable {
    var step: Int
    var setup: [String] = []
    var wrong: String
    var hint: String
    var repair: [String] = []
}

/// The lessons end to end in tmux, from a cold start: `L N Enter`, nothing ticked before the learner types, each
/// step's command typed as the card gives it (host steps run by the test on the host with the child's real pid)
/// and its ✓, wrong tries that get ✗ with their hint, and what each lesson did checked from outside through /proc.
@Suite("lessons end to end", .serialized)
struct LessonEndToEndTests {
    static let classic = [
        ClassicLesson(number: 1, row: "uts", kind: "uts"),
        ClassicLesson(number: 2, row: "ipc", kind: "ipc"),
        ClassicLesson(number: 3, row: "pid", kind: "pid"),
        ClassicLesson(number: 4, row: "mnt", kind: "mnt"),
        ClassicLesson(number: 5, row: "user", kind: "user"),
        ClassicLesson(number: 6, row: "net", kind: "net"),
        ClassicLesson(number: 7, row: "cgroup", kind: "cgroup"),
        ClassicLesson(number: 8, row: "time", kind: "time"),
    ]

    /// Wrong tries by lesson: each fails for a real reason the step's check, status or output catches.
    static let wrongTries: [Int: [WrongTry]] = [
        // The hostname changed in the child after launch: hostname prints the new one.
        1: [
            WrongTry(
                step: 0, setup: ["hostname other"], wrong: "hostname", hint: "was changed in this shell",
                repair: ["hostname myhost"])
        ],
        // No message queue allowed in this IPC namespace (its own msgmni, 0): ipcmk fails, ipcs lists none.
        2: [
            WrongTry(
                step: 0, setup: ["echo 0 > /proc/sys/kernel/msgmni"], wrong: "ipcmk -Q; ipcs -q",
                hint: "ipcmk made no queue", repair: ["echo 32000 > /proc/sys/kernel/msgmni"])
        ],
        // A shell started from the lesson's: its $$ is 2 or more.
        3: [
            WrongTry(
                step: 0, setup: ["sh"], wrong: "echo $$", hint: "not the namespace's first process", repair: ["exit"])
        ],
        // A nested user namespace without maps: id says nobody.
        5: [
            WrongTry(
                step: 0, setup: ["unshare --user sh"], wrong: "id", hint: "exit a nested one", repair: ["exit"])
        ],
        // An interface added in the child: lo is there, but not alone.
        6: [
            WrongTry(
                step: 0, setup: ["ip link add nsl-a type veth peer name nsl-b"], wrong: "ip link",
                hint: "ip link del NAME", repair: ["ip link del nsl-a"])
        ],
        // A nested time namespace with a boottime offset of its own (a new one copies its parent's).
        8: [
            WrongTry(
                step: 0, setup: ["unshare --fork --time --boottime 0 sh"], wrong: "cat /proc/self/timens_offsets",
                hint: "a nested time namespace", repair: ["exit"])
        ],
        // The hostname changed after launch.
        13: [
            WrongTry(
                step: 0, setup: ["hostname other"], wrong: "hostname; ipcmk -Q", hint: "hostname joinme sets it back",
                repair: ["hostname joinme"])
        ],
        // The namespace bound twice on /mnt/uts: one umount leaves the other (grep counts 1, status 0).
        15: [
            WrongTry(
                step: 3, setup: ["mount --bind /proc/self/ns/uts /mnt/uts"],
                wrong: "umount /mnt/uts; grep -c /mnt/uts /proc/self/mountinfo", hint: "mounted more than once")
        ],
        // Four processes (the shell, two jobs, ps) where the step says at most three.
        4: [
            WrongTry(
                step: 0, setup: ["sleep 100 &", "sleep 101 &"], wrong: "ps", hint: "end your jobs",
                repair: ["kill %1 %2; wait"])
        ],
        // The orphan killed before ps looks for it: no sleep with PPID 1.
        9: [
            WrongTry(
                step: 1, setup: ["kill $(pgrep sleep); sleep 0.3"], wrong: "ps -o pid,ppid,comm",
                hint: "no sleep with PPID 1", repair: ["sh -c 'sleep 300 & echo started $!'"])
        ],
        // The inner sleep killed (SIGKILL: a PID namespace's init ignores SIGTERM it has no handler for): pgrep
        // finds none and grep fails.
        12: [
            WrongTry(
                step: 2, setup: ["pkill -KILL sleep; sleep 0.3"],
                wrong: "ps -o pid,comm; grep NSpid /proc/$(pgrep -n sleep)/status",
                hint: "it ended with status 2", repair: ["unshare --pid --fork sleep 600 &"])
        ],
        // ping with nsl0 down: "Network is unreachable" and status 2.
        10: [
            WrongTry(
                step: 3, setup: ["ip link set nsl0 down"], wrong: "ping -c 2 10.250.0.2",
                hint: "'Network is unreachable' means", repair: ["ip link set nsl0 up"])
        ],
        // (Lesson 7 has none: the only way to make the child's cgroup other than its root is to move the shell into
        // another cgroup, which changes the host's cgroup tree. Nor has lesson 11: its shell's gid is unmapped, so no
        // nested user namespace can be made in it, and a wrong uid map can be written only once, ending the lesson.)
        // Sharing /mnt before anything is mounted there: mount fails with status 32.
        14: [
            WrongTry(
                step: 0, wrong: "mount --make-shared /mnt && grep ' /mnt ' /proc/self/mountinfo",
                hint: "share the mount alone")
        ],
    ]

    static func session(
        _ command: String, width: Int = 160, height: Int = 45, environment: [String: String] = [:]
    ) throws -> TmuxSession {
        try TmuxSession(
            command, width: width, height: height,
            environment: ["PS1": "child$ ", "NSLAB_LESSON_PATH": lessonFolder].merging(environment) { $1 })
    }

    /// Starts the dashboard in tmux (through `user`, a setpriv prefix, when given), picks lesson `number` in `L`'s
    /// list by its digits and launches it; returns the session and the screen once the child's prompt shows.
    /// Another user runs the public copy of nslab and its lessons: the checkout may be out of their reach.
    static func startLesson(
        _ number: Int, as user: String = "", shell: String = "/bin/sh", prompt: String = "child$",
        width: Int = 160, height: Int = 45, environment: [String: String] = [:]
    ) throws -> (TmuxSession, String) {
        let binary = user.isEmpty ? Binary.path : Binary.publicCopy
        let lessons = user.isEmpty ? [:] : ["NSLAB_LESSON_PATH": Binary.publicLessons]
        let tmux = try session(
            "\(user)\(binary) --shell \(shell)", width: width, height: height,
            environment: lessons.merging(environment) { $1 })
        try tmux.waitFor("Namespaces", timeout: 15)
        try tmux.send("L")
        try tmux.waitFor("Lessons")
        try tmux.tmux(["send-keys", "-t", tmux.name] + String(number).map { String($0) })
        try tmux.send("Enter")
        return (tmux, try tmux.waitFor(prompt, timeout: 10))
    }

    /// The screen a second and a half after launch (a few refreshes of the checks), which must have no ✓: no
    /// step ticks before the learner types.
    static func expectNothingTicked(_ tmux: TmuxSession, _ number: Int) throws {
        usleep(1_500_000)
        let screen = try tmux.screen()
        #expect(!screen.contains("✓") && !screen.contains("✗"), "lesson \(number) ticked before typing:\n\(screen)")
        #expect(screen.contains("▸ 1. "), "step 1 is current:\n\(screen)")
    }

    /// The lesson file numbered `number` in lessons/.
    static func lessonFile(_ number: Int) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: lessonFolder)
        let prefix = number < 10 ? "0\(number)-" : "\(number)-"
        return try #require(names.first { $0.hasPrefix(prefix) && $0.hasSuffix(".toml") }, "lesson \(number)")
    }

    /// A shipped lesson's steps in order, each with its kind and `command` (TOML's \" and \\ undone).
    static func lessonSteps(_ number: Int) throws -> [FileStep] {
        let lesson = try String(contentsOfFile: lessonFolder + "/" + lessonFile(number), encoding: .utf8)
        var steps: [FileStep] = []
        for line in lesson.split(separator: "\n").map(String.init) {
            if line == "[[step]]" {
                steps.append(FileStep(kind: "", command: ""))
            } else if !steps.isEmpty, line.hasPrefix("kind = \"") {
                steps[steps.count - 1].kind = String(line.dropFirst("kind = \"".count).dropLast())
            } else if !steps.isEmpty, line.hasPrefix("command = \"") {
                steps[steps.count - 1].command = String(line.dropFirst("command = \"".count).dropLast())
                    .replacing("\\\"", with: "\"").replacing("\\\\", with: "\\")
            }
        }
        return steps
    }

    /// Types `command` on a cleared screen and Enter. The line is typed once the shell's prompt is back alone
    /// on the cleared pane: typed ahead, the terminal would echo it before the prompt (and its marks), where no
    /// shell shows a command line. Callers' lines must not end in a prompt's last character.
    static func typeLine(_ command: String, into tmux: TmuxSession) throws {
        // The prompt alone at the top: it ends in $, # or > (dash, bash, zsh, fish here); a previous line still
        // alone on the pane before its own prompt came (`… sleep 600 &`) does not.
        func promptAlone() throws -> Bool {
            let rows = box(on: try tmux.screen(), titled: "Child ")?.inner ?? []
            let text = rows.map { $0.trimmingCharacters(in: .whitespaces) }
            guard let first = text.first, let end = first.last else { return false }
            return "$#>%".contains(end) && !first.contains("clear") && text.dropFirst().allSatisfy(\.isEmpty)
        }
        // A clear only when something is on the pane: typed while the pane already shows the prompt alone (the
        // first command), the test would take that prompt for the one after the clear and type ahead of it.
        if try !promptAlone() {
            try tmux.send("clear", literal: true)
            try tmux.send("Enter")
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline, try !promptAlone() { usleep(50_000) }
        }
        try tmux.send(command, literal: true)
        try tmux.send("Enter")
        // Until the line shows, the pane may still show the empty prompt of before: a next typeLine would take it
        // for the one after its own `clear` and type ahead of the shell, whose prompt then comes after the echo
        // (seen under load: `child$ hi24`, the command line gone), so no command line is seen for it.
        let start = String(command.prefix(12))
        let shown = Date().addingTimeInterval(5)
        while Date() < shown, !(box(on: try tmux.screen(), titled: "Child ")?.inner ?? []).contains(where: {
            $0.contains(start)
        }) {
            usleep(20_000)
        }
    }

    /// Types one step's command on a cleared screen, as the card gives it, and waits for the step's ✓.
    @discardableResult
    static func type(_ command: String, into tmux: TmuxSession, ticking step: Int) throws -> String {
        try typeLine(command, into: tmux)
        return try tmux.waitFor(#"✓ \#(step)\. "#, regex: true, timeout: 15)
    }

    /// Makes `attempt`: its setup, the wrong line, the ✗ with its hint on the card, then its repair.
    static func make(_ attempt: WrongTry, in tmux: TmuxSession) throws {
        for line in attempt.setup { try typeLine(line, into: tmux) }
        usleep(300_000)
        try typeLine(attempt.wrong, into: tmux)
        let screen = try tmux.waitFor("✗ \(attempt.step + 1). ", timeout: 8)
        let failed = try Self.waitForCard(attempt.hint, in: tmux, timeout: 3)
        #expect(!screen.contains("✓ \(attempt.step + 1). "), "the wrong line did not tick:\n\(screen)")
        #expect(failed.contains("   ✗ "), "the card says what went wrong:\n\(failed)")
        for line in attempt.repair { try typeLine(line, into: tmux) }
    }

    /// Follows lesson `number` from step `first` to its last: a child step's command typed in the pane, a host
    /// step's run by the test on the host with `{pid}` the lesson child's pid, an observe step only waited for;
    /// each one's ✓, after the lesson's wrong tries for it. `each` runs after every ticked step.
    static func follow(
        _ number: Int, in tmux: TmuxSession, pid: pid_t, from first: Int = 0, wrong: Bool = true,
        each: (Int) throws -> Void = { _ in }
    ) throws {
        let steps = try lessonSteps(number)
        try #require(!steps.isEmpty && steps.allSatisfy { !$0.kind.isEmpty }, "lesson \(number): \(steps)")
        for index in first..<steps.count {
            if wrong {
                for attempt in wrongTries[number, default: []] where attempt.step == index {
                    try make(attempt, in: tmux)
                }
            }
            let step = steps[index]
            switch step.kind {
            case "child":
                try type(step.command, into: tmux, ticking: index + 1)
            case "host":
                let command = step.command.replacing("{pid}", with: String(pid))
                let result = try Binary.runProgram("/bin/sh", ["-c", command])
                #expect(result.status == 0, "\(command): \(result.stderr)")
                try tmux.waitFor(#"✓ \#(index + 1)\. "#, regex: true, timeout: 15)
            default:
                try tmux.waitFor(#"✓ \#(index + 1)\. "#, regex: true, timeout: 15)
            }
            try each(index)
        }
    }

    /// Quits the dashboard (C-] to the tree, q, y) and expects the lesson's child to end with it.
    static func quit(_ tmux: TmuxSession, _ pid: pid_t) throws {
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        #expect(Processes.endsSoon(pid), "the child outlived the dashboard")
    }

    @Test("L N Enter: nothing ticked, each step's command and its ✓, the differing row", arguments: classic)
    func classicLesson(_ lesson: ClassicLesson) throws {
        try requireRoot()
        let (tmux, launched) = try Self.startLesson(lesson.number)
        #expect(launched.contains("Lesson \(lesson.number):"), "the card shows: \(launched)")
        let pid = try #require(Self.childPID(on: launched), "\(launched)")
        #expect(Processes.differingKinds(pid).contains(lesson.kind), "\(lesson.kind) differs in /proc")
        try Self.expectNothingTicked(tmux, lesson.number)
        try Self.follow(lesson.number, in: tmux, pid: pid)
        // Every step ticked and the kind's row shows the difference (≠) on the same screen.
        let screen = try tmux.waitFor("✓ all ", timeout: 15)
        let row = screen.split(separator: "\n").first { $0.contains("│\(lesson.row) ") && $0.contains("≠") }
        #expect(row != nil, "the \(lesson.row) row differs:\n\(screen)")
        #expect(!screen.contains("✗"), "no check fails:\n\(screen)")
        try Self.quit(tmux, pid)
    }

    @Test("nslab lesson 8 starts the dashboard in the time lesson with a day's boottime offset")
    func lessonCommand() throws {
        try requireRoot()
        let tmux = try Self.session("\(Binary.path) lesson time --shell /bin/sh")
        let screen = try tmux.waitFor("child$")
        #expect(screen.contains("Lesson 8:"))
        let pid = try #require(Self.childPID(on: screen), "\(screen)")
        let offsets = try String(contentsOfFile: "/proc/\(pid)/timens_offsets", encoding: .utf8)
        #expect(offsets.contains("boottime") && offsets.contains("86400"), "\(offsets)")
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.send("y")
        #expect(Processes.endsSoon(pid))
    }

    @Test("nslab lesson --list lists number, name and title; a bad name is one line")
    func list() throws {
        let result = try Binary.run(["lesson", "--list"], environment: ["NSLAB_LESSON_PATH": lessonFolder])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count >= 8)
        #expect(lines.first?.hasPrefix(" 1  uts") == true, "\(result.stdout)")
        #expect(lines.contains { $0.hasPrefix(" 8  time") })
        #expect(lines.contains { $0.hasPrefix("15  held") }, "\(result.stdout)")
        let bad = try Binary.run(["lesson", "nosuch"], environment: ["NSLAB_LESSON_PATH": lessonFolder])
        expectRefusal(bad, containing: "no lesson 'nosuch'")
    }

    @Test("lesson 9: the orphaned sleep is adopted by the lesson's shell, its PID namespace's pid 1")
    func orphanLesson() throws {
        try requireRoot()
        let (tmux, launched) = try Self.startLesson(9)
        let pid = try #require(Self.childPID(on: launched))
        try Self.expectNothingTicked(tmux, 9)
        try Self.follow(9, in: tmux, pid: pid)
        // From outside: a sleep whose parent is the lesson's shell, and which is pid 3 inside.
        let status = try Self.children(of: pid).compactMap {
            try? String(contentsOfFile: "/proc/\($0)/status", encoding: .utf8)
        }
        #expect(status.contains { $0.contains("Name:\tsleep") && $0.contains("NSpid:") }, "\(status)")
        try Self.quit(tmux, pid)
    }

    @Test("a bad lesson file is left out with FILE:LINE:COLUMN in the status line; the others still load")
    func badLessonFile() throws {
        let folder = "/tmp/nslab-lesson-e2e-\(getpid())"
        mkdir(folder, 0o755)
        defer {
            unlink(folder + "/99-bad.toml")
            rmdir(folder)
        }
        try "number = 99\nname = \"bad\"\ntitle = \"t\"\ngoal = \"g\"\nkinds = [\"utz\"]\n"
            .write(toFile: folder + "/99-bad.toml", atomically: false, encoding: .utf8)
        let tmux = try TmuxSession(
            "\(Binary.path) --shell /bin/sh", width: 160, height: 45,
            environment: ["NSLAB_LESSON_PATH": folder + ":" + lessonFolder])
        let screen = try tmux.waitFor("Lesson left out:")
        #expect(screen.contains("99-bad.toml:5:10: unknown kind 'utz'"), "\(screen)")
        try tmux.send("L")
        let list = try tmux.waitFor("Lessons")
        // The list's rows start "│ NN  " (a bare "99  " can be a pid in the tree behind it).
        #expect(list.contains("Time: a clock a day ahead") && !list.contains("│ 99  "), "\(list)")
        try tmux.send("Escape")
        try tmux.send("q")
    }

    @Test("y copies the unshare line with OSC 52: tmux receives it as a paste buffer")
    func copiesUnshareLine() throws {
        let tmux = try Self.session("\(Binary.path) --shell /bin/sh")
        try tmux.tmux(["set-option", "-g", "set-clipboard", "on"])
        try tmux.waitFor("Namespaces", timeout: 15)
        try tmux.send("1")
        try tmux.waitFor("$ unshare --fork --kill-child --uts")
        try tmux.send("y")
        try tmux.waitFor("copied: unshare")
        let deadline = Date().addingTimeInterval(3)
        var buffer = ""
        while Date() < deadline {
            buffer = (try? tmux.tmux(["show-buffer"])) ?? ""
            if !buffer.isEmpty { break }
            usleep(50_000)
        }
        #expect(buffer.hasPrefix("unshare --fork --kill-child --uts sh -c 'hostname nslab"), "\(buffer)")
        #expect(buffer.hasSuffix(" /bin/sh"), "\(buffer)")
        try tmux.send("q")
    }

    @Test("lesson 11: without maps the shell is uid 65534 with no capability; after the map, root with all of them")
    func unmappedLesson() throws {
        try requireRoot()
        let (tmux, launched) = try Self.startLesson(11)
        let pid = try #require(Self.childPID(on: launched))
        #expect(try String(contentsOfFile: "/proc/\(pid)/uid_map", encoding: .utf8).isEmpty, "no map written")
        try Self.expectNothingTicked(tmux, 11)
        try Self.follow(11, in: tmux, pid: pid) { index in
            if index == 0 {
                // The card names the real pid in the host step, now current.
                try Self.waitForCard("/proc/\(pid)/uid_map", in: tmux)
                // execve dropped every capability for the unmapped uid (tmux shows the status file's tab as spaces).
                try tmux.waitFor(#"CapEff:\s+0{16}"#, regex: true, timeout: 5)
            }
            if index == 1 {
                // The host step wrote the map the card gave, with the child's pid.
                let map = try String(contentsOfFile: "/proc/\(pid)/uid_map", encoding: .utf8)
                #expect(map.split(separator: " ", omittingEmptySubsequences: true) == ["0", "0", "1\n"], "\(map)")
            }
        }
        try tmux.waitFor("uid=0(root)")
        try tmux.waitFor(#"CapEff:\s+[0-9a-f]*ffffffff"#, regex: true, timeout: 5)
        try Self.quit(tmux, pid)
    }

    @Test("lesson 10: the veth pair's two ends ping each other; the host's addresses and links are unchanged")
    func vethLesson() throws {
        try requireRoot()
        // What the lesson makes (its interfaces nsl0 and nsl1, its addresses 10.250.0.x): never on the host. The
        // host's other interfaces are not compared: container engines and other tests add and remove theirs.
        let before = try Self.hostInterfaces()
        #expect(before.isEmpty, "the host already has the lesson's names: \(before)")
        let (tmux, launched) = try Self.startLesson(10)
        let pid = try #require(Self.childPID(on: launched))
        // The lesson's own commands, as its card gives them, typed one by one (each step keeps `$!`).
        try Self.expectNothingTicked(tmux, 10)
        // The lesson's own commands, as its card gives them, typed one by one (each step keeps `$!`); a ping
        // with nsl0 down first gets ✗ and the hint.
        try Self.follow(10, in: tmux, pid: pid)
        let screen = try tmux.waitFor("2 packets transmitted, 2 received", timeout: 10)
        #expect(screen.contains("✓ all 4 steps done"), "\(screen)")
        // From outside: the lesson's shell has nsl0 with its address, in a network namespace not the host's.
        #expect(Processes.differingKinds(pid).contains("net"))
        let inside = try Binary.runProgram("/usr/bin/nsenter", ["-t", "\(pid)", "-n", "ip", "-o", "addr"]).stdout
        #expect(inside.contains("nsl0") && inside.contains("10.250.0.1/30"), "\(inside)")
        #expect(try Self.hostInterfaces() == before, "the lesson's links and addresses are not on the host")
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.send("y")
        #expect(Processes.endsSoon(pid))
        #expect(try Self.hostInterfaces() == before)
    }

    @Test("lesson 12: unshare --pid --fork in the lesson's shell gives sleep three pids; every step turns ✓")
    func nestedPIDLesson() throws {
        try requireRoot()
        let (tmux, launched) = try Self.startLesson(12)
        let pid = try #require(Self.childPID(on: launched))
        try Self.expectNothingTicked(tmux, 12)
        try Self.follow(
            12, in: tmux, pid: pid,
            each: { index in
                if index == 0 {
                    let early = try tmux.screen()
                    #expect(!early.contains("✓ 2. "), "no nested namespace yet:\n\(early)")
                }
            })
        let screen = try tmux.waitFor("✓ all 3 steps done")
        #expect(!screen.contains("✗"), "\(screen)")
        // From outside: the sleep under unshare under the lesson's shell has a pid at three levels, 1 inside.
        let unshare = try Self.children(of: pid)
        let sleeps = try unshare.flatMap { try Self.children(of: $0) }
        let levels = sleeps.map(Self.pidLevels)
        #expect(levels.contains { $0.count == 3 && $0.last == "1" }, "\(levels)")
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.send("y")
        #expect(Processes.endsSoon(pid))
        #expect(sleeps.allSatisfy { Processes.endsSoon($0) }, "the nested sleep ends with the lesson's namespace")
    }

    @Test("lesson 13: e on the lesson's shell opens a tab in its namespaces, and the joining steps turn ✓")
    func joinLesson() throws {
        try requireRoot()
        let (tmux, launched) = try Self.startLesson(13)
        let pid = try #require(Self.childPID(on: launched))
        try Self.expectNothingTicked(tmux, 13)
        let steps = try Self.lessonSteps(13)
        try #require(steps.map(\.kind) == ["child", "observe", "child"], "\(steps)")
        let before = try Self.type(steps[0].command, into: tmux, ticking: 1)
        #expect(!before.contains("✓ 2. "), "nothing joined yet:\n\(before)")
        try tmux.send("C-]")
        try tmux.send("Tab")
        try tmux.send("/")
        try tmux.send(String(pid), literal: true)
        try tmux.send("Enter")
        try tmux.send("e")
        let entered = try tmux.waitFor("entered \(pid) (sh)", timeout: 15)
        let shell = try #require(
            entered.range(of: #"Child (\d+) \[entered"#, options: .regularExpression).map {
                pid_t(entered[$0].dropFirst(6).prefix { $0.isNumber })
            } ?? nil, "\(entered)")
        try tmux.waitFor(#"✓ 2\. "#, regex: true, timeout: 15)
        // Step 3 is typed in the entered tab, which has the keys once it opens.
        let screen = try Self.type(steps[2].command, into: tmux, ticking: 3)
        #expect(!screen.contains("✗"), "\(screen)")
        for kind in ["uts", "ipc"] {
            let theirs = Processes.namespaceLink(pid, kind)
            #expect(theirs != nil && Processes.namespaceLink(shell, kind) == theirs, "\(kind)")
        }
        // Under Launch, the entered tab's nsenter line; run, it reaches the same namespaces as the tab's shell.
        let line = "nsenter -t \(pid) --uts --ipc /bin/sh"
        try tmux.waitFor("$ " + line, timeout: 8)
        let words = line.split(separator: " ").map(String.init)
        let links = try Binary.runProgram(
            "/usr/bin/nsenter", Array(words.dropFirst()) + ["-c", "readlink /proc/self/ns/uts /proc/self/ns/ipc"])
        #expect(links.status == 0, "\(links.stderr)")
        let expected = ["uts", "ipc"].compactMap { Processes.namespaceLink(shell, $0) }.joined(separator: "\n")
        #expect(links.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == expected, "\(links.stdout)")
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        #expect(Processes.endsSoon(pid) && Processes.endsSoon(shell))
    }

    @Test("lesson 14: the peer's mount shows, the private one does not, and nothing reaches the host's /mnt")
    func propagationLesson() throws {
        try requireRoot()
        let before = try Self.mountsUnderMnt()
        let (tmux, launched) = try Self.startLesson(14)
        let pid = try #require(Self.childPID(on: launched))
        try Self.expectNothingTicked(tmux, 14)
        // Every step as the card says. (Its wrong try, sharing /mnt before a tmpfs is there, missed its ✗ about one
        // run in six here and is left out until that is understood; LessonProgressTests covers the status hint.)
        try Self.follow(14, in: tmux, pid: pid)
        let screen = try tmux.waitFor("✓ all 3 steps done")
        #expect(!screen.contains("   ✗ "), "\(screen)")
        // From outside: the second nested namespace has its /mnt/b (once its mount is done), the lesson's shell
        // sees /mnt and /mnt/a but not /mnt/b, and the host sees none of them.
        let deadline = Date().addingTimeInterval(5)
        var nested = false
        while !nested && Date() < deadline {
            nested = try Self.descendants(of: pid).contains { process in
                let table = (try? String(contentsOfFile: "/proc/\(process)/mountinfo", encoding: .utf8)) ?? ""
                return table.contains(" /mnt/b ")
            }
            if !nested { usleep(100_000) }
        }
        #expect(nested, "a process of the lesson's tree has the nested mount on /mnt/b")
        let inside = try String(contentsOfFile: "/proc/\(pid)/mountinfo", encoding: .utf8)
        #expect(inside.contains(" /mnt/a ") && !inside.contains(" /mnt/b "), "\(inside)")
        // What the lesson could have made on the host (mounts on /mnt and below, its tmpfs sources), not the whole
        // table, which other programs (tests running beside this one) change.
        let now = try Self.mountsUnderMnt()
        #expect(now == before && !now.joined().contains("nsl-prop"), "the host's mounts under /mnt are unchanged")
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.send("y")
        #expect(Processes.endsSoon(pid))
    }

    @Test(
        "lesson 15: a UTS namespace outlives its shell through a bind mount, is joined and released; host untouched",
        arguments: [false, true])
    func heldLesson(ordinaryUser: Bool) throws {
        try requireRoot()  // setpriv needs root to become uid 65534; the root run needs it for its mounts
        // What the lesson mounts (a tmpfs on /mnt, a UTS namespace bound at /mnt/uts), not the host's whole table,
        // which container engines and other tests change.
        let before = try Self.mountsUnderMnt()
        // An ordinary user follows the same lesson in a user namespace of their own (root inside maps to them).
        let user = ordinaryUser ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
        let (tmux, launched) = try Self.startLesson(15, as: user)
        #expect(launched.contains("Lesson 15:"), "\(launched)")
        let pid = try #require(Self.childPID(on: launched))
        defer { Processes.killSession(pid) }
        #expect(Processes.differingKinds(pid).contains("user") == ordinaryUser, "a user namespace only for uid 65534")
        try Self.expectNothingTicked(tmux, 15)
        var held: String?
        try Self.follow(15, in: tmux, pid: pid) { index in
            if index == 1 {
                // From outside: the child's mount table has the nsfs mount of a UTS namespace no process is in.
                let table = try String(contentsOfFile: "/proc/\(pid)/mountinfo", encoding: .utf8)
                let line = try #require(table.split(separator: "\n").first { $0.contains(" /mnt/uts ") }, "\(table)")
                let fields = line.split(separator: " ")
                #expect(line.contains(" - nsfs "), "\(line)")
                held = String(fields[3])
                #expect(held?.hasPrefix("uts:[") == true && held != Processes.namespaceLink(pid, "uts"), "\(line)")
                #expect(Self.members(of: held ?? "") == [], "no process is in the held namespace")
                try tmux.waitFor("\(held ?? "uts:[none]") at /mnt/uts", timeout: 3)  // the card names it
            }
            if index == 2 { try tmux.waitFor("kept") }
        }
        let screen = try tmux.waitFor(#"✓ 4\. "#, regex: true)
        #expect(!screen.contains("✗"), "\(screen)")
        let inside = try String(contentsOfFile: "/proc/\(pid)/mountinfo", encoding: .utf8)
        #expect(!inside.contains(" /mnt/uts ") && inside.contains(" /mnt "), "released, /mnt still there:\n\(inside)")
        // The host never had any of it: the same mounts at /mnt and below as before, and no nsfs mount of the held
        // namespace anywhere.
        let after = try Self.mountsUnderMnt()
        #expect(after == before, "the host's mounts under /mnt are unchanged")
        let host = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        #expect(!host.contains(" /mnt/uts ") && !host.contains(held ?? "uts:[none]"), "\(host)")
        try tmux.send("C-]")
        try tmux.send("q")
        try tmux.waitFor("y/n")
        try tmux.send("y")
        #expect(Processes.endsSoon(pid), "the lesson's shell outlived the dashboard")
        #expect(Processes.sessionEndsSoon(pid), "a process of the lesson's session is left")
    }

    @Test("80x24: the lesson is one line above the status bar, the current step with its mark; F8 takes it away")
    func compactLessonLine() throws {
        try requireRoot()
        let tmux = try TmuxSession(
            "\(Binary.path) --shell /bin/sh", width: 80, height: 24,
            environment: ["PS1": "child$ ", "NSLAB_LESSON_PATH": lessonFolder])
        try tmux.waitFor("Namespaces", timeout: 15)
        try tmux.send("L")
        try tmux.waitFor("Lessons")
        try tmux.send("1", "5")
        try tmux.send("Enter")
        let first = try tmux.waitFor("Lesson 15 ▸ 1/4 $ mount -t tmpfs lab /mnt")
        let rows = first.split(separator: "\n", omittingEmptySubsequences: false)
        let row = try #require(rows.firstIndex { $0.hasPrefix("Lesson 15 ") }, "\(first)")
        #expect(row == 22, "just above the status bar:\n\(first)")
        #expect(!first.contains("Lesson 15:"), "no card in the compact layout")
        // The pane's title (and its pid) is not on a compact screen while the tree has the focus: nslab's child.
        let pid = try #require(try Self.children(of: tmux.panePID()).first)
        defer { Processes.killSession(pid) }
        try tmux.send("mount -t tmpfs lab /mnt && touch /mnt/uts", literal: true)
        try tmux.send("Enter")
        try tmux.waitFor("Lesson 15 ▸ 2/4 $ unshare --uts", timeout: 8)
        try tmux.send("F8")
        let closed = try tmux.waitFor("1-8 kinds · F5 launch", timeout: 8)  // the pane is gone
        #expect(!closed.contains("Lesson 15"), "the line goes with the lesson's tab:\n\(closed)")
        #expect(Processes.endsSoon(pid))
        try tmux.send("q")
    }

    @Test(
        "stty size in the lesson's pane is its box on screen, with the card beside it",
        arguments: [(100, 30), (120, 35), (160, 45)])
    func paneFitsItsBox(width: Int, height: Int) throws {
        try requireRoot()
        let (tmux, launched) = try Self.startLesson(1, width: width, height: height)
        let pid = try #require(Self.childPID(on: launched), "\(launched)")
        #expect(launched.contains("step 1 of 2"), "the card is shown:\n\(launched)")
        try Self.typeLine("stty size", into: tmux)
        // stty's line, read inside the pane's frame, once it shows.
        var found: (stty: String, box: PaneBox)?
        var screen = ""
        let deadline = Date().addingTimeInterval(5)
        while found == nil && Date() < deadline {
            screen = try tmux.screen()
            if let box = Self.paneBox(on: screen, pid: pid),
                let line = box.inner.first(where: { $0.wholeMatch(of: /[0-9]+ [0-9]+ */) != nil })
            {
                found = (line.trimmingCharacters(in: .whitespaces), box)
            } else {
                usleep(100_000)
            }
        }
        let (stty, box) = try #require(found, "no stty line in the pane's frame:\n\(screen)")
        #expect(stty == "\(box.rows) \(box.columns)", "stty size says \(stty) in its box:\n\(screen)")
        // The card is still beside the pane, and the line stty printed is whole inside the box.
        #expect(screen.contains("Lesson 1:") || screen.contains("step 1 of 2"), "\(screen)")
        try Self.quit(tmux, pid)
    }

    @Test(
        "lesson 1 in bash, zsh, fish and dash: nothing ticked at launch, hostname ticks step 1",
        arguments: ["/bin/bash", "/bin/zsh", "/usr/bin/fish", "/bin/dash"])
    func lessonInShell(shell: String) throws {
        try requireRoot()
        // A HOME of its own: the machine's own start-up files (root's .bashrc runs pyenv here) are not the test's.
        let home = "/tmp/nslab-lesson-shell-\(getpid())"
        mkdir(home, 0o755)
        defer { _ = try? FileManager.default.removeItem(atPath: home) }
        let (tmux, launched) = try Self.startLesson(
            1, shell: shell, prompt: "Lesson 1:", environment: ["HOME": home, "XDG_CONFIG_HOME": home + "/.config"])
        let pid = try #require(Self.childPID(on: launched), "\(launched)")
        // The shell is up once it ran a line of its own: `nsl''ok` is `nslok` in all four.
        try Self.typeLine("echo nsl''ok", into: tmux)
        try tmux.waitFor("nslok", timeout: 10)
        try Self.expectNothingTicked(tmux, 1)
        let screen = try Self.type("hostname", into: tmux, ticking: 1)
        #expect(!screen.contains("no prompt marks"), "\(shell) gives marks:\n\(screen)")
        try tmux.waitFor(#"✓ 2\. "#, regex: true, timeout: 15)
        try Self.quit(tmux, pid)
    }

    /// The frame around a child pane on a captured screen: its inner size and the text of its inner rows.
    struct PaneBox {
        var rows: Int
        var columns: Int
        var inner: [String]
    }

    /// The frame around the child pane whose title names `pid` on `screen`.
    static func paneBox(on screen: String, pid: pid_t) -> PaneBox? {
        box(on: screen, titled: "Child \(pid) [")
    }

    /// The text of the lesson card on `screen`, its rows joined by one space with runs of blanks collapsed, so a
    /// hint reads whole however the card wrapped it; empty when no card shows.
    static func cardText(_ screen: String) -> String {
        let rows = box(on: screen, titled: "Lesson ")?.inner ?? []
        return rows.joined(separator: " ").split(separator: " ").joined(separator: " ")
    }

    /// Waits until the lesson card's text (as `cardText` gives it) contains `text`; returns the screen.
    @discardableResult
    static func waitForCard(_ text: String, in tmux: TmuxSession, timeout: Double = 8) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try tmux.screen()
            if cardText(screen).contains(text) { return screen }
            usleep(100_000)
        }
        throw TmuxError(message: "the card never said '\(text)'; screen:\n\(screen)")
    }

    /// The frame whose top border carries `title` on `screen` (the first one, top to bottom): its corners are
    /// box-drawing characters.
    static func box(on screen: String, titled title: String) -> PaneBox? {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        guard let top = lines.firstIndex(where: { String($0).contains(title) }),
            let range = String(lines[top]).range(of: title)
        else { return nil }
        let row = lines[top]
        let at = String(lines[top])[..<range.lowerBound].count
        guard let left = row[..<at].lastIndex(where: { "┌╭┏╔".contains($0) }),
            let right = row[at...].firstIndex(where: { "┐╮┓╗".contains($0) }),
            let bottom = lines.indices.dropFirst(top + 1).first(where: {
                lines[$0].count > left && "└╰┗╚".contains(lines[$0][left])
            })
        else { return nil }
        let inner = lines[(top + 1)..<bottom].map { line in
            String(line.count > right ? line[(left + 1)..<right] : line.dropFirst(left + 1))
        }
        return PaneBox(rows: bottom - top - 1, columns: right - left - 1, inner: inner)
    }

    /// The host's nsfs and tmpfs mount lines, sorted, as this test process (on the host) sees them.
    /// The host's mounts a mount-propagation lesson could leak: on /mnt or below, or of its tmpfs sources.
    static func mountsUnderMnt() throws -> [String] {
        let table = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        return table.split(separator: "\n").map(String.init).filter { line in
            let fields = line.split(separator: " ")
            let point = fields.count > 4 ? fields[4] : ""
            return point == "/mnt" || point.hasPrefix("/mnt/") || line.contains(" nsl-prop ") || line.contains(" inner ")
        }.sorted()
    }

    /// The live processes whose namespace link for the link's kind is `link` (`uts:[4026532181]`).
    static func members(of link: String) -> [pid_t] {
        let kind = String(link.prefix { $0 != ":" })
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { candidate in
            let status = (try? String(contentsOfFile: "/proc/\(candidate)/status", encoding: .utf8)) ?? "State:\tZ"
            return Processes.namespaceLink(candidate, kind) == link && !status.contains("State:\tZ")
        }
    }

    /// Every process below `pid`, from /proc.
    static func descendants(of pid: pid_t) throws -> [pid_t] {
        let children = try Self.children(of: pid)
        return try children + children.flatMap { try descendants(of: $0) }
    }

    /// The NSpid line of /proc/PID/status: the pid at every PID namespace level, outermost first.
    static func pidLevels(_ pid: pid_t) -> [String] {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("NSpid:") } ?? ""
        return line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().map(String.init)
    }

    /// The lines of the host's `ip -o addr` and `ip -o link` that name what lesson 10 makes (the interfaces nsl0 and
    /// nsl1, the addresses 10.250.0.x), link counters and states left out; the rest of the host's interfaces is
    /// other programs' business.
    static func hostInterfaces() throws -> [String] {
        let addresses = try Binary.runProgram("/usr/sbin/ip", ["-o", "addr"]).stdout.split(separator: "\n")
        let links = try Binary.runProgram("/usr/sbin/ip", ["-o", "link"]).stdout.split(separator: "\n").map {
            $0.split(separator: " ").prefix(2).joined(separator: " ")
        }
        let marks = [" nsl0", " nsl1", "10.250.0."]
        return (addresses.map(String.init) + links).filter { line in marks.contains { line.contains($0) } }.sorted()
    }

    /// The pids whose parent is `pid`, from /proc.
    static func children(of pid: pid_t) throws -> [pid_t] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap { pid_t($0) }.filter { candidate in
            guard let stat = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == pid
        }
    }

    /// The pid in the child pane's title, "Child 1234 [uts]".
    static func childPID(on screen: String) -> pid_t? {
        guard let range = screen.range(of: #"Child (\d+) \["#, options: .regularExpression) else { return nil }
        return pid_t(screen[range].dropFirst(6).prefix { $0.isNumber })
    }
}
