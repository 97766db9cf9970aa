import Foundation
import Testing

/// `nslab run` as an unprivileged user (uid 65534 through setpriv), as a learner on a laptop runs it.
@Suite("nslab run, unprivileged")
struct UnprivilegedRunTests {
    @Test("--user gives uid 0 inside, mapped to 65534 outside")
    func rootInside() throws {
        try requireRoot()  // setpriv needs root to switch to uid 65534
        let result = try Binary.runUnprivileged([
            "run", "--user", "--", "/bin/sh", "-c", "id -u; cat /proc/self/uid_map",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map {
            $0.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        #expect(lines == ["0", "0 65534 1"], "\(result.stdout)")
    }

    @Test("--user --uts --hostname works without privilege")
    func hostnameInsideUser() throws {
        try requireRoot()
        let result = try Binary.runUnprivileged(["run", "--user", "--uts", "--hostname", "x", "--", "hostname"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "x\n")
    }

    @Test("--uts alone fails with a message that names the capability and the fix")
    func utsAloneFails() throws {
        try requireRoot()
        let result = try Binary.runUnprivileged(["run", "--uts", "--", "true"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("CAP_SYS_ADMIN"), "\(result.stderr)")
        #expect(result.stderr.contains("add --user"), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test("an unprivileged map of someone else's uid is refused before launch")
    func foreignMapRefused() throws {
        try requireRoot()
        let result = try Binary.runUnprivileged(["run", "--user", "--uid-map", "0 0 1", "--", "true"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("only your own uid 65534"), "\(result.stderr)")
    }

    @Test("all kinds inside a user namespace, with a fresh /proc, as an unprivileged user")
    func everythingUnprivileged() throws {
        try requireRoot()
        let result = try Binary.runUnprivileged([
            "run", "--all", "--hostname", "box", "--mount-proc", "--", "/bin/sh", "-c", "echo $$; hostname; id -u",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "1\nbox\n0\n", "\(result.stdout)")
    }
}

/// Facts that need the target's namespaces, read by an unprivileged user.
@Suite("nslab inspect, unprivileged")
struct UnprivilegedInspectTests {
    /// Guards against the fact helper trying setns(UTS) without first joining the child's user
    /// namespace, which an ordinary user is refused: the hostname then showed as unknown.
    @Test("an ordinary user sees the hostname inside its own user+UTS child")
    func hostnameOfOwnChild() throws {
        try requireRoot()
        let script = """
            setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sh -c '
              mark="1000.$$"
              \(Binary.publicCopy) run --user --uts --hostname inner -- sleep "$mark" &
              for i in $(seq 100); do pid=$(pgrep -u 65534 -f "^sleep $mark"); [ -n "$pid" ] && break; sleep 0.05; done
              \(Binary.publicCopy) inspect "$pid" --json
              kill "$pid"'
            """
        let result = try Binary.runScript(script)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect(result.stdout.contains("\"inner\""), "\(document)")
    }
}
