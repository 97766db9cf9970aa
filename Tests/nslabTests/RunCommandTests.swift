import Foundation
import Testing

/// `nslab run` end to end: the real binary, real namespaces, checked from outside or by the output.
@Suite("nslab run")
struct RunCommandTests {
    @Test("the hostname is set inside and the host keeps its own")
    func hostname() throws {
        try requireRoot()
        let host = ProcessInfo.processInfo.hostName
        let result = try Binary.run(["run", "--uts", "--hostname", "myhost", "--", "hostname"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "myhost\n")
        #expect(
            try String(contentsOfFile: "/proc/sys/kernel/hostname", encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines) != "myhost")
        #expect(ProcessInfo.processInfo.hostName == host)
    }

    @Test("the command is PID 1 of a new PID namespace")
    func pidOne() throws {
        try requireRoot()
        let result = try Binary.run(["run", "--pid", "--", "/bin/sh", "-c", "echo $$"])
        #expect(result.stdout == "1\n", "\(result.stderr)")
    }

    @Test("a fresh /proc shows only the child's processes")
    func freshProc() throws {
        try requireRoot()
        let result = try Binary.run([
            "run", "--pid", "--mount", "--mount-proc", "--", "/bin/sh", "-c",
            "ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\\n' ' '",
        ])
        // The shell is 1 and the pipeline's processes follow; nothing from the host (the host has
        // hundreds of processes, and its pids are far larger).
        let pids = result.stdout.split(separator: " ").compactMap { Int($0) }
        #expect(pids.first == 1, "\(result.stdout) \(result.stderr)")
        #expect(pids.count <= 5)
        #expect(pids.allSatisfy { $0 < 10 })
    }

    @Test("a fresh /proc does not propagate to a host whose / is rshared")
    func noMountLeakOnSharedRoot() throws {
        try requireRoot()
        // The test makes a mount namespace of its own (private to the host, as unshare does by
        // default), makes / rshared inside it, and checks that nslab's child mounts nothing into it.
        let script = """
            unshare --mount /bin/sh -c '
              mount --make-rshared / || exit 90
              before=$(wc -l < /proc/self/mountinfo)
              procs_before=$(grep -c " /proc " /proc/self/mountinfo)
              ready=$(mktemp -u)
              "$NSLAB" run --pid --mount --mount-proc -- /bin/sh -c "touch $ready; exec sleep 30" &
              nslab=$!
              for i in $(seq 200); do [ -e "$ready" ] && break; sleep 0.05; done
              [ -e "$ready" ] || exit 91
              after=$(wc -l < /proc/self/mountinfo)
              procs_after=$(grep -c " /proc " /proc/self/mountinfo)
              kill -KILL $nslab; wait; rm -f "$ready"
              echo "$before $after $procs_before $procs_after"'
            """
        let result = try Binary.runScript(script)
        #expect(result.status == 0, "\(result.stderr)")
        let numbers = result.stdout.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        try #require(numbers.count == 4, "\(result.stdout)")
        #expect(numbers[0] == numbers[1], "mounts in the shared parent changed: \(result.stdout)")
        #expect(numbers[2] == numbers[3], "a proc mount propagated: \(result.stdout)")
    }

    @Test("lo is up in a new network namespace, and stays down with --no-loopback")
    func loopback() throws {
        try requireRoot()
        let up = try Binary.run(["run", "--net", "--", "ip", "-o", "link", "show"])
        #expect(up.stdout.split(separator: "\n").count == 1, "only lo: \(up.stdout)")
        #expect(up.stdout.contains("lo:"))
        #expect(up.stdout.contains(",UP"), "\(up.stdout)")
        let down = try Binary.run(["run", "--net", "--no-loopback", "--", "ip", "-o", "link", "show", "lo"])
        #expect(!down.stdout.contains(",UP"), "\(down.stdout)")
    }

    @Test("a boottime offset shows in /proc/uptime inside only")
    func boottimeOffset() throws {
        try requireRoot()
        let result = try Binary.run(["run", "--time", "--boottime", "86400", "--", "cat", "/proc/uptime"])
        let inside = Double(result.stdout.split(separator: " ").first ?? "") ?? -1
        let host = Double(try String(contentsOfFile: "/proc/uptime", encoding: .utf8).split(separator: " ")[0])!
        #expect(inside >= host + 86_400 - 5 && inside <= host + 86_400 + 5, "inside \(inside), host \(host)")
    }

    @Test("a monotonic offset moves CLOCK_MONOTONIC inside")
    func monotonicOffset() throws {
        try requireRoot()
        // /proc/timer_list is root-only and noisy; the monotonic clock shows through the time
        // namespace's own offsets file, read by the child itself.
        let result = try Binary.run(["run", "--time", "--monotonic", "-1.5", "--", "cat", "/proc/self/timens_offsets"])
        let fields = result.stdout.split(separator: "\n").first?.split(whereSeparator: \.isWhitespace) ?? []
        #expect(fields == ["monotonic", "-2", "500000000"], "\(result.stdout)")
    }

    @Test(
        "exit status passes through",
        arguments: [
            (["--uts"], "exit 7", Int32(7)),
            (["--uts"], "kill -9 $$", Int32(137)),
            (["--time"], "exit 9", Int32(9)),
            (["--time"], "kill -15 $$", Int32(143)),
        ])
    func exitStatus(flags: [String], script: String, expected: Int32) throws {
        try requireRoot()
        let result = try Binary.run(["run"] + flags + ["--", "/bin/sh", "-c", script])
        #expect(result.status == expected, "\(result.stderr)")
    }

    @Test("with --time and --pid the command itself is PID 1")
    func timeAndPid() throws {
        try requireRoot()
        let result = try Binary.run(["run", "--time", "--pid", "--", "/bin/sh", "-c", "echo $$"])
        #expect(result.stdout == "1\n", "\(result.stderr)")
    }

    @Test("all eight kinds at once, with every option")
    func allKinds() throws {
        try requireRoot()
        let result = try Binary.run([
            "run", "--all", "--hostname", "lab", "--mount-proc", "--boottime", "1000", "--",
            "/bin/sh", "-c", "echo $$; hostname; id -u; ip -o link show | wc -l; cat /proc/self/cgroup | tail -1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "1\nlab\n0\n1\n0::/\n", "\(result.stdout)")
    }

    @Test("SIGTERM sent to nslab reaches the command")
    func forwardsTerm() throws {
        try requireRoot()
        let script = """
            "$NSLAB" run --uts -- /bin/sh -c 'trap "exit 42" TERM; touch /tmp/nslab-term-$PPID; while :; do sleep 0.05; done' &
            pid=$!
            for i in $(seq 200); do ls /tmp/nslab-term-* >/dev/null 2>&1 && break; sleep 0.05; done
            rm -f /tmp/nslab-term-*
            kill -TERM $pid; wait $pid; echo $?
            """
        let result = try Binary.runScript(script)
        #expect(result.stdout == "42\n", "\(result.stdout) \(result.stderr)")
    }

    @Test("the child dies with nslab, also with a time-namespace keeper", arguments: [["--pid"], ["--time", "--pid"]])
    func noOrphanAfterKill(flags: [String]) throws {
        try requireRoot()
        // nslab is killed with SIGKILL, so it cannot clean up: the death signal must do it.
        let script = """
            # A duration unique to this script tells its sleeper apart from other tests' ones.
            mark="1000.$$"
            "$NSLAB" run \(flags.joined(separator: " ")) -- sleep "$mark" &
            nslab=$!
            for i in $(seq 100); do pgrep -f "^sleep $mark\\$" >/dev/null && break; sleep 0.05; done
            victims=$(pgrep -f "^sleep $mark\\$" | tr '\\n' ' ')
            kill -KILL $nslab; wait $nslab 2>/dev/null
            # The death signal is immediate; reaping by the new parent may take a moment.
            for i in $(seq 40); do
              left=""
              for p in $victims; do
                [ -d /proc/$p ] && ! grep -q '^State:.*Z' /proc/$p/status 2>/dev/null && left="$left $p"
              done
              [ -z "$left" ] && break
              sleep 0.05
            done
            echo "victims=$victims left=$left"
            """
        let result = try Binary.runScript(script)
        #expect(result.stdout.contains("victims=") && !result.stdout.contains("victims= left"), "\(result.stdout)")
        #expect(result.stdout.hasSuffix("left=\n"), "\(result.stdout)")
    }

    /// A keeper never execs, so close-on-exec does nothing for it: it held every fd nslab had (in the test suite, a
    /// pipe another test read to its end, which hung the run). Now it holds its liveness pipe and nothing else.
    @Test("a time-namespace keeper holds nothing of nslab's but its liveness pipe")
    func keeperHoldsNoFds() throws {
        try requireRoot()
        let script = """
            mark="1000.$$"
            exec 7</dev/null
            "$NSLAB" run --time --pid -- sleep "$mark" &
            nslab=$!
            for i in $(seq 100); do pgrep -f "^sleep $mark\\$" >/dev/null && break; sleep 0.05; done
            keeper=$(pgrep -P $nslab | head -n 1)
            echo "keeper=$keeper"
            for fd in /proc/$keeper/fd/*; do echo "fd ${fd##*/} $(readlink $fd)"; done
            kill -KILL $nslab; wait $nslab 2>/dev/null
            """
        let result = try Binary.runScript(script)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first.map { $0.count > 7 } == true, "no keeper: \(result.stdout) \(result.stderr)")
        let fds = lines.filter { $0.hasPrefix("fd ") }
        #expect(fds.count == 1 && fds.first?.contains(" pipe:[") == true, "\(result.stdout)")
    }

    /// Guards against `nslab run hostname` and `nslab run --uts hostname` failing with "Unexpected argument":
    /// as with unshare, the first argument that is not an option starts the command, and what follows it is
    /// the command's, options included.
    @Test(
        "the command may come without --",
        arguments: [
            (["run", "echo", "hi"], "hi\n"),
            (["run", "/bin/echo", "--uts", "--", "-n"], "--uts -- -n\n"),
            (["run", "--uts", "--hostname", "box", "hostname"], "box\n"),
            (["run", "--uts", "--hostname=box", "sh", "-c", "hostname; echo $#", "x", "--pid"], "box\n1\n"),
        ])
    func commandWithoutTerminator(arguments: [String], expected: String) throws {
        if arguments.contains("--uts") && arguments[1] == "--uts" { try requireRoot() }
        let result = try Binary.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == expected)
    }

    @Test("a missing command is one clear line on stderr")
    func commandNotFound() throws {
        let result = try Binary.run(["run", "--", "no-such-command-xyz"])
        #expect(result.status == 127)
        #expect(result.stderr == "nslab: no-such-command-xyz: command not found\n")
    }

    @Test(
        "bad flags get one line on stderr and a non-zero exit",
        arguments: [
            (["run", "--hostname", "x"], "needs a new UTS namespace"),
            (["run", "--uts", "--hostname", String(repeating: "h", count: 65)], "at most 64"),
            (["run", "--mount-proc", "--pid"], "add --mount"),
            (["run", "--boottime", "5"], "needs a new time namespace"),
            (["run", "--time", "--boottime", "nan"], "boottime offset"),
            (["run", "--uid-map", "0 0 1"], "needs a new user namespace"),
            (["run", "--user", "--uid-map", "0 0"], "INSIDE OUTSIDE COUNT"),
            (["run", "--user", "--uid-map", "0 0 10", "--uid-map", "5 100 1"], "overlap on the inside side"),
            (["run", "--user", "--gid-map", "0 0 0"], "count 0"),
            (["run", "--map-root", "--uid-map", "0 0 1"], "cannot be combined"),
            (["run", "--bogus"], "Unknown option"),
        ])
    func badFlags(arguments: [String], fragment: String) throws {
        expectRefusal(try Binary.run(arguments), containing: fragment)
    }
}

/// Refusals that protect the host and explain themselves.
@Suite("nslab run refusals")
struct RunRefusalTests {
    @Test("a namespace limit names the /proc/sys/user knob")
    func namespaceLimit() throws {
        try requireRoot()
        // Limits are per user namespace: lower one inside a child's own user namespace and let a
        // nested nslab hit it, leaving the host's limits alone.
        let result = try Binary.runScript(
            """
            "$NSLAB" run --user -- /bin/sh -c 'echo 0 > /proc/sys/user/max_uts_namespaces && "$NSLAB" run --uts -- true'
            """)
        #expect(result.status != 0)
        // The doctor's probe names the limit that is reached and its value (Doctor.swift, namespace-limit).
        #expect(
            result.stderr == "nslab: clone: No space left on device: user.max_uts_namespaces is 0 in this user "
                + "namespace: no UTS namespace may be created: raise it as root where it was set: "
                + "sysctl -w user.max_uts_namespaces=10000 [doctor: namespace-limit]\n")
    }

    @Test("a setuid nslab refuses to run")
    func refusesSetuid() throws {
        try requireRoot()
        let copy = Binary.publicCopy + "-setuid"
        Binary.copyExecutable(from: Binary.path, to: copy, mode: 0o4755)
        defer { unlink(copy) }
        let result = try Binary.runProgram(
            "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", copy, "run", "--", "true"])
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("nslab: refusing to run setuid or setgid"), "\(result.stderr)")
    }
}
