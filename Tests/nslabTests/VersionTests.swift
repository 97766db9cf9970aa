import Foundation
import Testing

@testable import NslabCLI

/// `nslab --version` (issue 13, point 9), from the one constant packaging also reads.
@Suite("nslab --version")
struct VersionTests {
    /// Guards against there being no `nslab --version`, and against the version living in two places.
    @Test("--version prints the version constant and exits 0")
    func prints() throws {
        let result = try Binary.run(["--version"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == nslabVersion + "\n")
        #expect(nslabVersion.split(separator: ".").count == 3 && nslabVersion.allSatisfy { $0.isNumber || $0 == "." })
    }

    /// Guards the line packaging scripts read with sed: if its shape changes, they would read nothing.
    @Test("Version.swift keeps the line shape packaging reads")
    func lineShape() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/NslabCLI/Version.swift")
        let text = try String(contentsOf: source, encoding: .utf8)
        #expect(text.split(separator: "\n").contains { $0 == "let nslabVersion = \"\(nslabVersion)\"" })
    }
}
