import Testing

@testable import NamespaceKit

/// The text of the exports, without running them (ExportCommandTests in nslabTests runs them as root).
@Suite("Export texts")
struct ExportTests {
    @Test("the unshare words follow the spec: default maps, custom maps, time offsets, the sh -c set-up")
    func unshareWords() throws {
        var spec = LaunchSpec(kinds: [.user, .time, .net], command: ["id"])
        spec.boottimeOffset = 86_400
        #expect(
            UnshareExport.arguments(spec) == [
                "unshare", "--fork", "--kill-child", "--net", "--map-root-user", "--time", "--boottime", "86400", "sh",
                "-c", "ip link set lo up && exec \"$0\" \"$@\"", "id",
            ])
        spec.uidMap = [try IDMapEntry(parsing: "0 100000 65536")]
        spec.loopbackUp = false
        #expect(UnshareExport.arguments(spec).contains("--map-users=100000,0,65536"))
        #expect(UnshareExport.arguments(spec).last == "id" && !UnshareExport.arguments(spec).contains("sh"))
    }

    @Test("shell words are quoted only when they must be, and single quotes survive")
    func shellQuoting() {
        #expect(ShellQuoting.word("--uts") == "--uts")
        #expect(ShellQuoting.word("a b") == "'a b'")
        #expect(ShellQuoting.word("it's") == "'it'\\''s'")
        #expect(ShellQuoting.word("") == "''")
        #expect(ShellQuoting.word("$HOME") == "'$HOME'")
    }

    /// Guards against a hostile command or hostname breaking out of its C string literal.
    @Test("C string literals escape quotes, backslashes, newlines, ? and bytes outside ASCII")
    func cStrings() {
        #expect(CProgramExport.cString("a\"b\\c\nd") == "\"a\\\"b\\\\c\\nd\"")
        #expect(CProgramExport.cString("??=") == "\"\\077\\077=\"")
        #expect(CProgramExport.cString("é1") == "\"\\303\\2511\"")
        #expect(CProgramExport.cString("*/ x") == "\"*/ x\"")
    }

    @Test("the C program has exactly the clone flags of the spec; time goes through unshare with PID")
    func cloneFlags() {
        var spec = LaunchSpec(kinds: [.uts, .pid, .time], command: ["sh"])
        spec.hostname = "x"
        let source = CProgramExport.source(spec, flags: "--uts --pid --time --hostname x")
        #expect(source.contains("clone(child_main, child_stack + sizeof child_stack, CLONE_NEWUTS | SIGCHLD, NULL)"))
        #expect(source.contains("unshare(CLONE_NEWTIME | CLONE_NEWPID)"))
        #expect(source.contains("sethostname(\"x\", 1)"))
        #expect(!source.contains("MS_PRIVATE"), "no mount namespace, so no mount calls")
        let header = CProgramExport.source(LaunchSpec(kinds: [], command: ["sh"]), flags: "*/ evil")
        #expect(!header.contains("*/ evil"), "a flag cannot end the header comment")
    }
}
