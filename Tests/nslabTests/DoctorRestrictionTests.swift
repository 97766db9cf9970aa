import Foundation
import TestSupport
import Testing

/// `nslab doctor` and `nslab run` under each restriction the doctor names, each made for real in the test: a
/// seccomp filter, per-user-namespace limits of 0, dropped capabilities, no_new_privs, uid 65534, user namespaces
/// nested to the kernel's depth limit, a locale that is not UTF-8.
@Suite("nslab doctor under restrictions", .serialized)
struct DoctorRestrictionTests {
    /// The kinds as `--json` names them, with the run flag that asks for each.
    static let kinds = ["uts", "ipc", "pid", "mount", "net", "user", "cgroup", "time"]

    /// Runs `prefix + [nslab] + arguments` and parses the doctor's JSON from stdout.
    static func doctor(_ prefix: [String] = [], environment: [String: String]? = nil) throws -> [String: Any] {
        let command = prefix.isEmpty ? [Binary.path] : prefix + [Binary.path]
        let result = try Binary.runProgram(
            command[0], Array(command.dropFirst()) + ["doctor", "--json"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
    }

    /// The entry of `kind` in the doctor's `kinds`.
    static func verdict(_ document: [String: Any], _ kind: String) throws -> [String: Any] {
        let kinds = try #require(document["kinds"] as? [[String: Any]])
        return try #require(kinds.first { $0["kind"] as? String == kind }, "no \(kind) in \(kinds)")
    }

    /// The rules of the doctor's notes.
    static func noteRules(_ document: [String: Any]) -> [String] {
        ((document["notes"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String }
    }

    /// Expects `nslab run` to have failed with one line naming `rule` and the doctor's reason, and no advice
    /// in `forbidden`.
    static func expectLaunchRefused(
        _ result: RunResult, rule: String, reason: String?, without forbidden: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status != 0, "\(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("[doctor: \(rule)]"), "\(result.stderr)", sourceLocation: sourceLocation)
        if let reason {
            #expect(result.stderr.contains(reason), "\(result.stderr)", sourceLocation: sourceLocation)
        }
        for advice in forbidden {
            #expect(!result.stderr.contains(advice), "\(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test(
        "a seccomp filter like Docker's: every kind is refused by the filter, and run never advises --user",
        arguments: [SeccompFilter.Mode.all, .flags])
    func seccomp(mode: SeccompFilter.Mode) throws {
        try requireRoot()
        let document = try Self.doctor(SeccompFilter.prefix(mode))
        for kind in Self.kinds {
            let verdict = try Self.verdict(document, kind)
            #expect(verdict["can_create"] as? String == "no", "\(kind): \(verdict)")
            #expect(verdict["rule"] as? String == "seccomp-filter", "\(kind): \(verdict)")
        }
        let seccomp = (document["environment"] as? [String: Any])?["seccomp"] as? [String: Any]
        #expect(seccomp?["mode"] as? Int == 2)
        #expect(seccomp?["unshare_filtered"] as? Bool == (mode == .all))
        let reason = try Self.verdict(document, "uts")["reason"] as? String
        for flags in [["--uts"], ["--user"], ["--user", "--net"], ["--time"]] {
            let result = try Binary.runProgram(
                SeccompFilter.path, [mode.rawValue, Binary.path, "run"] + flags + ["--", "/bin/true"])
            Self.expectLaunchRefused(
                result, rule: "seccomp-filter", reason: reason, without: ["--user", "run as root"])
        }
    }

    @Test(
        "user.max_<kind>_namespaces = 0 inside a user namespace stops that kind, named as the limit",
        arguments: kinds)
    func limitZero(kind: String) throws {
        try requireRoot()
        let file = kind == "mount" ? "mnt" : kind
        let setUp = "echo 0 > /proc/sys/user/max_\(file)_namespaces"
        let doctor = try Binary.runProgram(
            "/usr/bin/unshare",
            [
                "--user", "--map-root-user", "/bin/sh", "-c", "\(setUp) && \"$0\" doctor --json",
                Binary.path,
            ])
        #expect(doctor.status == 0, "\(doctor.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(doctor.stdout.utf8)) as? [String: Any], "\(doctor.stdout)")
        let verdict = try Self.verdict(document, kind)
        #expect(verdict["can_create"] as? String == "no", "\(verdict)")
        #expect(verdict["rule"] as? String == "namespace-limit", "\(verdict)")
        #expect((verdict["reason"] as? String)?.contains("max_\(file)_namespaces is 0") == true, "\(verdict)")
        #expect(verdict["errno"] as? String == "ENOSPC", "\(verdict)")
        for other in Self.kinds where other != kind && other != "user" && kind != "user" {
            #expect(try Self.verdict(document, other)["can_create"] as? String == "yes", "\(other)")
        }
        let run = try Binary.runProgram(
            "/usr/bin/unshare",
            [
                "--user", "--map-root-user", "/bin/sh", "-c", "\(setUp) && \"$0\" run --\(kind) true",
                Binary.path,
            ])
        Self.expectLaunchRefused(
            run, rule: "namespace-limit", reason: verdict["reason"] as? String, without: ["--user"])
    }

    /// Root with every capability dropped lacks CAP_SYS_ADMIN, and since Linux 5.12 also the CAP_SETFCAP a map of
    /// uid 0 needs, so a new user namespace is no way in either: --user must not be advised.
    @Test("capabilities dropped with setpriv: CAP_SYS_ADMIN is missing, and a user namespace cannot map root")
    func capabilitiesDropped() throws {
        try requireRoot()
        let prefix = ["/usr/bin/setpriv", "--inh-caps=-all", "--bounding-set=-all"]
        let document = try Self.doctor(prefix)
        for kind in Self.kinds {
            let verdict = try Self.verdict(document, kind)
            #expect(verdict["can_create"] as? String == "no", "\(kind): \(verdict)")
            #expect(verdict["rule"] as? String == "map-refused", "\(kind): \(verdict)")
            if kind != "user" {
                let direct = verdict["direct"] as? [String: Any]
                #expect(direct?["rule"] as? String == "missing-cap-sys-admin", "\(kind): \(verdict)")
            }
        }
        let capabilities = (document["environment"] as? [String: Any])?["capabilities"] as? [String: Any]
        #expect(capabilities?["cap_sys_admin"] as? Bool == false)
        #expect((capabilities?["bounding"] as? [String])?.isEmpty == true)
        let uts = try Binary.runProgram(prefix[0], Array(prefix.dropFirst()) + [Binary.path, "run", "--uts", "true"])
        let utsVerdict = try Self.verdict(document, "uts")
        Self.expectLaunchRefused(
            uts, rule: "missing-cap-sys-admin", reason: (utsVerdict["direct"] as? [String: Any])?["reason"] as? String,
            without: ["--user"])
        let user = try Binary.runProgram(
            prefix[0], Array(prefix.dropFirst()) + [Binary.path, "run", "--user", "--uts", "true"])
        Self.expectLaunchRefused(
            user, rule: "map-refused", reason: try Self.verdict(document, "user")["reason"] as? String,
            without: ["--user"])
    }

    @Test("no_new_privs is reported as a note, stops nothing, and run --user succeeds")
    func noNewPrivs() throws {
        try requireRoot()
        let prefix = ["/usr/bin/setpriv", "--no-new-privs"]
        let document = try Self.doctor(prefix)
        #expect(Self.noteRules(document).contains("no-new-privs"), "\(document["notes"] ?? "")")
        #expect((document["environment"] as? [String: Any])?["no_new_privs"] as? Bool == true)
        for kind in Self.kinds {
            #expect(try Self.verdict(document, kind)["can_create"] as? String == "yes", "\(kind)")
        }
        let run = try Binary.runProgram(
            prefix[0], Array(prefix.dropFirst()) + [Binary.path, "run", "--user", "--uts", "--", "/bin/true"])
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test("uid 65534: kinds only inside a new user namespace; run --uts names the rule, run --user --uts works")
    func unprivileged() throws {
        try requireRoot()
        let result = try Binary.runUnprivileged(["doctor", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect((document["environment"] as? [String: Any])?["uid"] as? Int == 65534)
        for kind in Self.kinds where kind != "user" {
            let verdict = try Self.verdict(document, kind)
            #expect(verdict["can_create"] as? String == "inside-user-namespace", "\(kind): \(verdict)")
            #expect(verdict["rule"] as? String == "missing-cap-sys-admin", "\(kind): \(verdict)")
        }
        #expect(try Self.verdict(document, "user")["can_create"] as? String == "yes")
        let refused = try Binary.runUnprivileged(["run", "--uts", "--net", "true"])
        Self.expectLaunchRefused(
            refused, rule: "missing-cap-sys-admin", reason: try Self.verdict(document, "uts")["reason"] as? String)
        #expect(refused.stderr.contains("add --user"), "the advice that works here: \(refused.stderr)")
        #expect(try Binary.runUnprivileged(["run", "--user", "--uts", "--net", "true"]).status == 0)
    }

    @Test("user namespaces nested to the kernel's limit: user is refused by the depth rule, others still work")
    func depthLimit() throws {
        try requireRoot()
        // Each level checks that one more can be made, then goes there; the last runs the command.
        let nester = "/tmp/nslab-test-nest-\(getpid()).sh"
        FileManager.default.createFile(
            atPath: nester,
            contents: Data(
                """
                #!/bin/sh
                if unshare --user --map-root-user true 2>/dev/null; then
                    exec unshare --user --map-root-user /bin/sh "$0" "$@"
                fi
                exec "$@"

                """.utf8))
        defer { unlink(nester) }
        let doctor = try Binary.runProgram("/bin/sh", [nester, Binary.path, "doctor", "--json"])
        #expect(doctor.status == 0, "\(doctor.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(doctor.stdout.utf8)) as? [String: Any], "\(doctor.stdout)")
        let user = try Self.verdict(document, "user")
        #expect(user["can_create"] as? String == "no", "\(user)")
        #expect(user["rule"] as? String == "userns-depth-limit", "\(user)")
        // ENOSPC since Linux 4.9, EUSERS before.
        #expect(["ENOSPC", "EUSERS"].contains(user["errno"] as? String), "\(user)")
        let level = ((document["environment"] as? [String: Any])?["user_namespace"] as? [String: Any])?["level"]
        #expect(level as? Int == 33, "\(String(describing: level))")
        #expect(try Self.verdict(document, "uts")["can_create"] as? String == "yes")
        let run = try Binary.runProgram("/bin/sh", [nester, Binary.path, "run", "--user", "true"])
        Self.expectLaunchRefused(run, rule: "userns-depth-limit", reason: user["reason"] as? String)
        let uts = try Binary.runProgram("/bin/sh", [nester, Binary.path, "run", "--uts", "true"])
        #expect(uts.status == 0, "\(uts.stderr)")
    }

    @Test("LANG=C: the locale note, and run still works")
    func plainLocale() throws {
        try requireRoot()
        let environment = ["LANG": "C", "PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "TERM": "xterm"]
        let document = try Self.doctor(environment: environment)
        #expect(Self.noteRules(document).contains("locale-not-utf8"), "\(document["notes"] ?? "")")
        let terminal = (document["environment"] as? [String: Any])?["terminal"] as? [String: Any]
        #expect(terminal?["utf8"] as? Bool == false)
        #expect(terminal?["locale"] as? String == "LANG=C")
        let run = try Binary.run(["run", "--uts", "--pid", "--", "/bin/true"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test("the doctor leaves no process running and nothing mounted")
    func leavesNothing() throws {
        try requireRoot()
        // In a PID namespace of its own, everything the doctor started would still be there after it exits; in a
        // mount namespace of its own, whatever it mounted. The mount table is compared in that namespace, which
        // only the doctor changes: the host's own changes whenever a container engine or another test mounts.
        let result = try Binary.runProgram(
            "/usr/bin/unshare",
            [
                "--pid", "--fork", "--mount", "--mount-proc", "/bin/sh", "-c",
                "before=$(cat /proc/self/mountinfo) && \"$0\" doctor --json > /dev/null && \"$0\" doctor > /dev/null "
                    + "&& [ \"$(cat /proc/self/mountinfo)\" = \"$before\" ] && ps -e -o pid=,stat=,comm=",
                Binary.path,
            ])
        #expect(result.status == 0, "the doctor failed, or its mount namespace changed: \(result.stderr)")
        let processes = result.stdout.split(separator: "\n").map {
            $0.split(separator: " ").last.map(String.init) ?? ""
        }
        #expect(processes.sorted() == ["ps", "sh"], "\(result.stdout)")
    }

    @Test("a devpts instance with max= reached: the no-pty note, and run (which needs no pty) still works")
    func devptsFull() throws {
        try requireRoot()
        // A devpts of its own in a mount namespace of its own, with room for one pty, which python holds.
        let script = """
            mount --make-rprivate / && \\
            mount -t devpts -o newinstance,ptmxmode=0666,max=1 devpts /dev/pts && \\
            mount --bind /dev/pts/ptmx /dev/ptmx && \\
            exec python3 -c 'import os, subprocess, sys
            held = os.open("/dev/ptmx", os.O_RDWR | os.O_NOCTTY)
            doctor = subprocess.run([sys.argv[1], "doctor", "--json"], capture_output=True, text=True)
            run = subprocess.run([sys.argv[1], "run", "--uts", "--", "/bin/true"], capture_output=True, text=True)
            print(doctor.stdout, end="")
            print(run.returncode, run.stderr, file=sys.stderr)' "$0"
            """
        let result = try Binary.runProgram("/usr/bin/unshare", ["--mount", "/bin/sh", "-c", script, Binary.path])
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            "\(result.stdout) \(result.stderr)")
        #expect(Self.noteRules(document).contains("no-pty"), "\(document["notes"] ?? "")")
        let pty = (document["environment"] as? [String: Any])?["pty"] as? [String: Any]
        #expect(pty?["can_open"] as? Bool == false)
        #expect(pty?["error"] as? String == "ENOSPC")
        #expect(pty?["devpts_max"] as? Int == 1)
        #expect(result.stderr.hasPrefix("0 "), "run needs no pty: \(result.stderr)")
    }

    @Test("a devpts instance with max= reached: the dashboard's F5 names the doctor's no-pty rule and lives on")
    func devptsFullDashboard() throws {
        try requireRoot()
        // The dashboard runs in a mount namespace whose devpts has room for one pty, held by the process that
        // execs it; its own terminal is tmux's, opened outside.
        let script = "/tmp/nslab-test-devpts-\(getpid()).sh"
        FileManager.default.createFile(
            atPath: script,
            contents: Data(
                """
                mount --make-rprivate / &&
                mount -t devpts -o newinstance,ptmxmode=0666,max=1 devpts /dev/pts &&
                mount --bind /dev/pts/ptmx /dev/ptmx &&
                exec python3 -c 'import os, sys
                held = os.open("/dev/ptmx", os.O_RDWR | os.O_NOCTTY)
                os.set_inheritable(held, True)
                os.execv(sys.argv[1], [sys.argv[1], "--ns", "uts"])' "$1"

                """.utf8))
        defer { unlink(script) }
        let tmux = try TmuxSession("unshare --mount /bin/sh \(script) \(Binary.path)")
        try tmux.waitFor("Launch")
        try tmux.send("F5")
        let screen = try tmux.waitFor("[doctor: no-pty]", timeout: 10)
        #expect(screen.contains("posix_openpt: No space left on device"), "\(screen)")
        #expect(!(try tmux.paneDead()), "the dashboard lives on")
        try tmux.send("q")
    }

    @Test("the text report names every kind, each rule, and the facts")
    func textReport() throws {
        try requireRoot()  // setpriv switches to uid 65534 only for root
        let result = try Binary.runUnprivileged(["doctor"])
        #expect(result.status == 0, "\(result.stderr)")
        for title in ["UTS:", "IPC:", "PID:", "Mount:", "Net:", "User:", "Cgroup:", "Time:"] {
            #expect(result.stdout.contains(title), "\(title) in \(result.stdout)")
        }
        #expect(result.stdout.contains("only inside a new user namespace"), "\(result.stdout)")
        for fact in ["seccomp:", "capabilities:", "no_new_privs:", "user.max_*:", "user ns depth:", "cgroup:", "ptys:"]
        {
            #expect(result.stdout.contains(fact), "\(fact) in \(result.stdout)")
        }
    }
}
