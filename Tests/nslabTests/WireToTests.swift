import Foundation
import Glibc
import TestSupport
import Testing

/// `nslab run --net --wire-to PID`: a child wired by a veth pair to a namespace a running nslab created, pinging
/// across from inside; the host's network namespace and one `unshare` made refused before anything is created.
@Suite("run --wire-to", .serialized)
struct WireToTests {
    /// Two `nslab run --net` children, the second wired to the first: both ends addressed inside, a ping crosses,
    /// the host's addresses are as they were, and nothing named nsl* is left once both are gone.
    @Test("a child wired to another nslab child's namespace pings it from inside")
    func wiresAndPings() throws {
        try requireRoot()
        let result = try Binary.runScript(
            """
            before=$(ip -j addr)
            $NSLAB run --net -- sleep 6011 </dev/null >/dev/null 2>&1 &
            first=$!
            sleep 0.3
            A=$(pgrep -P $first)
            errors=$(mktemp)
            $NSLAB run --net --wire-to $A -- sleep 6012 </dev/null >/dev/null 2>$errors &
            second=$!
            sleep 0.5
            B=$(pgrep -P $second)
            echo "wired: $(cat $errors)"
            echo "A: $(nsenter -t $A -n ip -br -4 addr show dev nsl0)"
            echo "B: $(nsenter -t $B -n ip -br -4 addr show dev nsl0)"
            nsenter -t $B -n ping -c 1 -W 2 10.77.0.2 >/dev/null && echo "ping B->A ok"
            nsenter -t $A -n ping -c 1 -W 2 10.77.0.1 >/dev/null && echo "ping A->B ok"
            ip -br link | grep -q nsl && echo "host has an nsl link"
            after=$(ip -j addr)
            [ "$before" = "$after" ] && echo "host unchanged"
            kill $first $second; wait
            rm -f $errors
            """)
        let out = result.stdout
        #expect(out.contains("wired: nslab: wired pid "), "\(out)\n\(result.stderr)")
        #expect(out.contains("(nsl0 10.77.0.1) ↔ pid "), "\(out)")
        #expect(out.contains("A: nsl0@"), "\(out)")
        #expect(out.contains("10.77.0.2/24"), "\(out)")
        #expect(out.contains("10.77.0.1/24"), "\(out)")
        #expect(out.contains("ping B->A ok"), "\(out)")
        #expect(out.contains("ping A->B ok"), "\(out)")
        #expect(!out.contains("host has an nsl link"), "\(out)")
        #expect(out.contains("host unchanged"), "\(out)")
    }

    /// The command starts only once its link exists: the wiring is done while the child waits to start (it
    /// raced the command before, and a `ping` given as the command could run before its address existed).
    @Test("the command runs with its link already there: ping as the command itself succeeds")
    func commandSeesTheLink() throws {
        try requireRoot()
        let result = try Binary.runScript(
            """
            $NSLAB run --net -- sleep 6014 </dev/null >/dev/null 2>&1 &
            first=$!
            sleep 0.3
            A=$(pgrep -P $first)
            $NSLAB run --net --wire-to $A -- ping -c 1 -W 2 10.77.0.2 >/dev/null 2>&1 && echo "first ping ok"
            kill $first; wait
            """)
        #expect(result.stdout.contains("first ping ok"), "\(result.stdout) \(result.stderr)")
    }

    /// The host's namespace (the test's own), one `unshare --net` made, a dead pid and a missing --net: each
    /// refused in one line, and the command never runs.
    @Test("namespaces nslab did not create are refused before anything is made")
    func refusals() throws {
        try requireRoot()
        expectRefusal(
            try Binary.run(["run", "--net", "--wire-to", String(getpid()), "--", "echo", "ran"]),
            containing: "host's network namespace")
        let sleeper = try Binary.runProgram(
            "/bin/sh", ["-c", "setsid -f unshare --net sleep 6013 </dev/null >/dev/null 2>&1; sleep 0.2; pgrep -n -f '^sleep 6013$'"])
        let pid = sleeper.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { if let number = pid_t(pid) { kill(number, SIGKILL) } }
        try #require(pid_t(pid) != nil, "\(sleeper.stderr)")
        expectRefusal(
            try Binary.run(["run", "--net", "--wire-to", pid, "--", "echo", "ran"]),
            containing: "was not created by a running nslab")
        // nslab enter's child is nslab's, but it joined that namespace: it was accepted and wired before.
        let entered = try Binary.runScript(
            """
            $NSLAB enter \(pid) --net -- sleep 6015 </dev/null >/dev/null 2>&1 &
            sleep 0.4
            child=$(pgrep -P $!)
            $NSLAB run --net --wire-to $child -- echo ran
            echo "status $?"
            nsenter -t \(pid) -n ip -br link | grep -q nsl && echo "an nsl link in the unshare namespace"
            kill $!
            """)
        #expect(entered.stderr.contains("was there before pid"), "\(entered.stdout) \(entered.stderr)")
        #expect(entered.stdout.contains("status 1"), "\(entered.stdout)")
        #expect(!entered.stdout.contains("ran"), "\(entered.stdout)")
        #expect(!entered.stdout.contains("an nsl link"), "\(entered.stdout)")
        expectRefusal(
            try Binary.run(["run", "--net", "--wire-to", "999999999", "--", "echo", "ran"]), containing: "no such process")
        let noNet = try Binary.run(["run", "--uts", "--wire-to", pid, "--", "echo", "ran"])
        #expect(noNet.status != 0)
        #expect(noNet.stderr.contains("--wire-to needs --net"), "\(noNet.stderr)")
        #expect(!noNet.stdout.contains("ran"))
    }
}
