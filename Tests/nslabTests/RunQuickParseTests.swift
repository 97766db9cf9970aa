import ArgumentParser
import Testing

@testable import NslabCLI

/// The quick reader of `nslab run` lines must never disagree with ArgumentParser: whenever it accepts a line,
/// ArgumentParser accepts it too and reads the same options.
@Suite("nslab run quick parse")
struct RunQuickParseTests {
    @Test("the benchmark's line and the README's examples take the quick path with the expected options")
    func commonLines() throws {
        let benchmark = try #require(
            quick(["--uts", "--ipc", "--pid", "--mount", "--net", "--cgroup", "--mount-proc", "--", "/bin/true"]))
        #expect(benchmark.kindFlags == [.uts, .ipc, .pid, .mount, .net, .cgroup])
        #expect(benchmark.mountProc && !benchmark.noLoopback && !benchmark.mapRoot)
        #expect(benchmark.command == ["/bin/true"])

        let named = try #require(quick(["--uts", "--hostname=myhost", "--", "hostname", "--", "-x"]))
        #expect(named.hostname == "myhost")
        #expect(named.command == ["hostname", "--", "-x"])

        let mapped = try #require(
            quick(["--user", "--uid-map", "0 1000 1", "--uid-map=1 2000 5", "--gid-map", "0 1000 1"]))
        #expect(mapped.uidMap == ["0 1000 1", "1 2000 5"])
        #expect(mapped.command.isEmpty)

        // The command without --, as unshare takes it (issue 13, point 7): all after its first word is its own.
        let bare = try #require(quick(["--uts", "--hostname", "box", "hostname", "--pid", "--", "x"]))
        #expect(bare.kindFlags == [.uts] && bare.hostname == "box")
        #expect(bare.command == ["hostname", "--pid", "--", "x"])

        let clocks = try #require(quick(["--time", "--mnt", "--boottime", "86400", "--monotonic=2.5"]))
        #expect(clocks.boottime == 86400 && clocks.monotonic == 2.5)
        #expect(clocks.kindFlags == [.time, .mount])
    }

    @Test(
        "help, unknown, repeated or option-like input is left to ArgumentParser",
        arguments: [
            ["--help"], ["-h"], ["--bogus"], ["--uts", "-"], ["--uts", "-x", "hostname"], ["--uts=1"],
            ["--mount-proc", "--mount-proc"],
            ["--uts", "--hostname", "a", "--hostname", "b"], ["--uts", "--hostname"], ["--uts", "--hostname", "--pid"],
            ["--time", "--monotonic", "-5"], ["--time", "--monotonic", "soon"], ["--uts", "--hostname="],
            // Fails validation: ArgumentParser must be the one to say why.
            ["--hostname", "x"], ["--mount-proc"], ["--map-root", "--uid-map", "0 0 1"],
            ["--time", "--boottime", "nan"], ["--user", "--uid-map", "0 0"], ["--generate-completion-script", "bash"],
        ])
    func leftToArgumentParser(arguments: [String]) {
        #expect(quick(arguments) == nil)
    }

    @Test("on 800 generated lines the quick reader agrees with ArgumentParser whenever it answers")
    func agreesWithArgumentParser() {
        var generator = SplitMix(seed: 0x6e73_6c61_62)
        var quickCount = 0
        var fullCount = 0
        for _ in 0..<800 {
            let line = Self.randomLine(&generator)
            // Through the root command, exactly as `nslab run ...` reaches ArgumentParser.
            let full = ((try? Nslab.parseAsRoot(["run"] + line)) as? RunCommand)?.options
            if full != nil { fullCount += 1 }
            guard let fast = quick(line) else { continue }
            quickCount += 1
            #expect(fast == full, "line: \(line)")
        }
        // The generator must exercise both outcomes, or this test would prove nothing.
        #expect(quickCount > 80, "quick path taken \(quickCount) times")
        #expect(fullCount > quickCount, "ArgumentParser accepted \(fullCount) lines")
    }

    private func quick(_ arguments: [String]) -> RunOptions? {
        RunOptions(quickParsing: arguments[...])
    }

    /// A command line drawn from `nslab run`'s options, their values good and bad, and some junk.
    private static func randomLine(_ generator: inout SplitMix) -> [String] {
        let flags = [
            "--uts", "--ipc", "--pid", "--mount", "--mnt", "--net", "--user", "--cgroup", "--time",
            "--all", "--map-root", "--mount-proc", "--no-loopback",
        ]
        let valued: [(String, [String])] = [
            ("--hostname", ["box", "a.b-c", "", "-x", "a=b", String(repeating: "h", count: 70), "ünï"]),
            ("--uid-map", ["0 0 1", "0 1000 1", "1 2000 5", "0 65534 1", "bad", "1 2", "0 0 0", "5 5 5"]),
            ("--gid-map", ["0 0 1", "0 1000 1", "2 3000 2", "x y z"]),
            ("--monotonic", ["5", "-5", "1.5", "1e3", "nan", "inf", "soon", "0x10", "2000000000"]),
            ("--boottime", ["86400", "-1", "0.25", "", "1e10"]),
        ]
        let junk = ["-h", "--help", "--bogus", "word", "--uts=1", "-", "--mount-proc=yes", "--version", "-x", ""]
        var line: [String] = []
        for _ in 0..<generator.below(7) {
            switch generator.below(10) {
            case 0..<5:
                line.append(flags[generator.below(flags.count)])
            case 5..<9:
                let (name, values) = valued[generator.below(valued.count)]
                let value = values[generator.below(values.count)]
                if generator.below(3) == 0 {
                    line.append("\(name)=\(value)")
                } else {
                    line.append(name)
                    if generator.below(12) != 0 { line.append(value) }
                }
            default:
                if generator.below(4) == 0 { line.append(junk[generator.below(junk.count)]) }
            }
        }
        // A command after --, or without it (then its first word must not look like an option).
        switch generator.below(4) {
        case 0, 1:
            line.append("--")
            for _ in 0..<generator.below(4) { line.append(["sh", "-c", "--uts", "--", "id"][generator.below(5)]) }
        case 2:
            line.append(["id", "hostname", "sh", "/bin/true"][generator.below(4)])
            let words = ["-c", "--uts", "--", "id", "--hostname"]
            for _ in 0..<generator.below(4) { line.append(words[generator.below(words.count)]) }
        default:
            break
        }
        return line
    }
}

/// A small seeded generator, so a failing line can be reproduced.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in 0..<bound.
    mutating func below(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}
