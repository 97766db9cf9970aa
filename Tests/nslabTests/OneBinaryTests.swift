import Foundation
import TestSupport
import Testing

/// nslab is one executable, position independent in every build: the release build is static-pie
/// (scripts/build-release.sh), the debug build a PIE. Guards against the two-binary scheme coming back, where a
/// fixed-address nslab launched and handed the dashboard, ps, ls and inspect to a randomised twin, which left
/// `enter` and `run --inside` (they parse another process's /proc files) at a fixed address.
@Suite("one binary", .serialized)
struct OneBinaryTests {
    /// The program headers' types of an ELF file, with its e_type (2 is ET_EXEC, 3 is ET_DYN).
    static func elf(_ path: String) throws -> (type: UInt16, programHeaders: [UInt32]) {
        let data = try #require(FileManager.default.contents(atPath: path))
        try #require(data.count >= 64 && data.starts(with: [0x7f, 0x45, 0x4c, 0x46]) && data[4] == 2, "not ELF64")
        func integer(_ offset: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(UInt64(0)) { $0 | UInt64(data[offset + $1]) << (8 * UInt64($1)) }
        }
        let (offset, size, count) = (Int(integer(32, 8)), Int(integer(54, 2)), Int(integer(56, 2)))
        try #require(offset + size * count <= data.count)
        return (UInt16(integer(16, 2)), (0..<count).map { UInt32(integer(offset + $0 * size, 4)) })
    }

    /// The binary under test, as a real path.
    static func binary() throws -> String {
        try #require(realpath(Binary.path, nil).map { String(cString: $0) })
    }

    @Test("nslab is position independent; the release build has no dynamic loader")
    func positionIndependent() throws {
        let path = try Self.binary()
        let (type, headers) = try Self.elf(path)
        #expect(type == 3, "\(path) is not position independent (e_type \(type))")
        let interpreter: UInt32 = 3  // PT_INTERP
        if ProcessInfo.processInfo.environment["NSLAB_TEST_BINARY"] != nil {
            #expect(!headers.contains(interpreter), "the release binary \(path) asks for a dynamic loader")
        }
    }

    /// The address nslab's image is mapped at, read by a command it launched (its parent is nslab).
    static func imageAddress() throws -> String {
        let result = try Binary.run([
            "run", "--", "/bin/sh", "-c", "readlink /proc/$PPID/exe; head -n 1 /proc/$PPID/maps",
        ])
        try #require(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 2, "\(result.stdout)")
        #expect(lines[0] == (try Self.binary()), "the launch ran in \(lines[0])")
        return String(lines[1].prefix { $0 != "-" })
    }

    /// Each start places the image elsewhere: ASLR for `run` as for every command.
    @Test("the image lands at a new address at each start")
    func randomised() throws {
        let addresses = Set(try (0..<4).map { _ in try Self.imageAddress() })
        #expect(addresses.count > 1, "four starts of nslab run mapped its image at \(addresses)")
    }

    /// The dashboard and ps run in the binary started (no hand-over to another file).
    @Test("the dashboard and ps run in the binary started")
    func noHandOver() throws {
        let path = try Self.binary()
        let session = try TmuxSession("'\(path)'", width: 120, height: 35)
        _ = try session.waitFor("Namespaces")
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(try session.panePID())/exe")
        try session.send("q")
        #expect(exe == path)
        let result = try Binary.run(["ps", "--flat", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let listing = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let processes = try #require(listing?["processes"] as? [[String: Any]])
        let own = processes.filter { (($0["cmdline"] as? [String]) ?? []).dropFirst() == ["ps", "--flat", "--json"] }
        try #require(own.count == 1, "\(own)")
        #expect(own[0]["comm"] as? String == URL(fileURLWithPath: path).lastPathComponent)
    }
}
