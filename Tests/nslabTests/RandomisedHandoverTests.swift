import Foundation
import TestSupport
import Testing

/// The two builds (Sources/NslabCLI/Randomised.swift): a fixed-address nslab launches, and hands the commands that
/// parse other processes' bytes to its position-independent twin nslab-aslr. On the debug build, which is position
/// independent already, nothing is handed over; the release pass of scripts/test.sh runs these on the fixed build.
@Suite("the randomised twin", .serialized)
struct RandomisedHandoverTests {
    /// ELF e_type of a file: 2 is ET_EXEC (fixed address), 3 is ET_DYN (position independent).
    static func elfType(_ path: String) throws -> UInt16 {
        let header = try #require(FileManager.default.contents(atPath: path))
        try #require(header.count >= 18 && header.starts(with: [0x7f, 0x45, 0x4c, 0x46]), "\(path) is not ELF")
        return UInt16(header[16]) | UInt16(header[17]) << 8
    }

    /// The binary under test, its real path, and the twin beside it.
    static func binaryAndTwin() throws -> (binary: String, twin: String) {
        let binary = try #require(realpath(Binary.path, nil).map { String(cString: $0) })
        return (binary, URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent("nslab-aslr").path)
    }

    /// The executable the dashboard's process runs, `binary` started in tmux.
    static func dashboardExecutable(_ binary: String) throws -> String {
        let session = try TmuxSession("'\(binary)'", width: 120, height: 35)
        _ = try session.waitFor("Namespaces")
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(try session.panePID())/exe")
        try session.send("q")
        return exe
    }

    @Test("the twin is built beside nslab, position independent")
    func twinBuilt() throws {
        let (_, twin) = try Self.binaryAndTwin()
        #expect(access(twin, X_OK) == 0, "no \(twin)")
        #expect(try Self.elfType(twin) == 3, "\(twin) is not position independent")
    }

    /// Launching stays in the binary started (the fastest start), whichever build it is.
    @Test("nslab run stays in the binary started")
    func runStays() throws {
        let (binary, _) = try Self.binaryAndTwin()
        let result = try Binary.run(["run", "--", "/bin/sh", "-c", "readlink /proc/$PPID/exe"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == binary + "\n")
    }

    /// The dashboard and ps run in the twin when the binary started is the fixed build, and in that binary when it
    /// is position independent itself (the debug build): either way, in a randomised image.
    @Test("the dashboard and ps run position independent")
    func randomisedCommands() throws {
        let (binary, twin) = try Self.binaryAndTwin()
        let expected = try Self.elfType(binary) == 2 ? twin : binary
        #expect(try Self.dashboardExecutable(binary) == expected)
        #expect(try Self.elfType(expected) == 3)
        // ps lists itself: its command name is the file that runs it (the kernel's comm), its cmdline as typed.
        let result = try Binary.run(["ps", "--flat", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let listing = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let processes = try #require(listing?["processes"] as? [[String: Any]])
        let own = processes.filter { (($0["cmdline"] as? [String]) ?? []).dropFirst() == ["ps", "--flat", "--json"] }
        try #require(own.count == 1, "\(own)")
        #expect(own[0]["comm"] as? String == URL(fileURLWithPath: expected).lastPathComponent)
    }

    /// A fixed build copied alone (no twin beside it) still runs every command, in its own image.
    @Test("without its twin, nslab runs the dashboard itself")
    func withoutTwin() throws {
        let (binary, _) = try Self.binaryAndTwin()
        let directory = "/tmp/nslab-test-alone-\(getpid())"
        mkdir(directory, 0o755)
        let alone = directory + "/nslab"
        Binary.copyExecutable(from: binary, to: alone)
        defer {
            unlink(alone)
            rmdir(directory)
        }
        #expect(try Self.dashboardExecutable(alone) == alone)
        let result = try Binary.runProgram(alone, ["ls"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }
}
