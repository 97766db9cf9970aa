import Testing

@testable import NamespaceKit

/// Runs a parser over the UTF-8 bytes of `text`.
func parse<Value>(_ text: String, _ parser: (UnsafeBufferPointer<UInt8>) -> Value) -> Value {
    UnsafeBufferPointer<UInt8>.withBytes(of: text, parser)
}

@Suite struct StatParserTests {
    /// Guards against splitting comm at the first `)`: comm may contain `)`, `(` and spaces.
    @Test func commWithSpacesAndParentheses() throws {
        let line = "4242 (my (odd) prog) x) S 17 4242 4242 0 -1 4194560 1 0 0 0 3 4 0 0 20 0 1 0 98765 1000 10\n"
        let stat = try #require(parse(line, StatParser.parse))
        #expect(stat.pid == 4242)
        #expect(stat.comm == "my (odd) prog) x")
        #expect(stat.state == "S")
        #expect(stat.ppid == 17)
        #expect(stat.startTime == 98765)
    }

    @Test func truncatedLineIsRejected() {
        #expect(parse("12 (sh) S 1 12 12", StatParser.parse) == nil)
        #expect(parse("", StatParser.parse) == nil)
        #expect(parse("12 sh S 1", StatParser.parse) == nil)
    }
}

@Suite struct StatusParserTests {
    @Test func uidGidAndNestedNSpid() {
        let text =
            "Name:\tsleep\nUid:\t1000\t1001\t1002\t1003\nGid:\t100\t101\t102\t103\n"
            + "NStgid:\t300\t2\t1\nNSpid:\t300\t2\t1\n"
        let status = parse(text, StatusParser.parse)
        #expect(status.uid == IDSet(real: 1000, effective: 1001, saved: 1002, filesystem: 1003))
        #expect(status.gid == IDSet(real: 100, effective: 101, saved: 102, filesystem: 103))
        #expect(status.nspid == [300, 2, 1])
    }

    @Test func missingLinesStayNil() {
        let status = parse("Name:\tx\nState:\tS\n", StatusParser.parse)
        #expect(status.uid == nil)
        #expect(status.nspid == nil)
    }
}

@Suite struct SmallFileParserTests {
    @Test func idMapLines() {
        let map = parse("         0       1000          1\n         1     100000      65536\n", SmallFileParsers.idMap)
        #expect(
            map == [
                IDMapEntry(inside: 0, outside: 1000, count: 1), IDMapEntry(inside: 1, outside: 100000, count: 65536),
            ])
        #expect(parse("", SmallFileParsers.idMap).isEmpty)
    }

    @Test func setgroupsPolicy() {
        #expect(parse("deny\n", SmallFileParsers.setgroups) == .deny)
        #expect(parse("allow\n", SmallFileParsers.setgroups) == .allow)
        #expect(parse("maybe\n", SmallFileParsers.setgroups) == nil)
    }

    /// A cgroup path may itself contain `:`; only the first two separate fields.
    @Test func cgroupLinesKeepColonsInPath() {
        let entries = parse("4:memory:/a:b\n0::/user.slice/x\nbogus\n", SmallFileParsers.cgroup)
        #expect(
            entries == [
                CgroupEntry(hierarchy: 4, controllers: "memory", path: "/a:b"),
                CgroupEntry(hierarchy: 0, controllers: "", path: "/user.slice/x"),
            ])
    }

    @Test func timeOffsets() throws {
        let offsets = try #require(
            parse(
                "monotonic        3600         0\nboottime        -2 500000000\n",
                SmallFileParsers.timeOffsets))
        #expect(offsets.monotonic == ClockOffset(seconds: 3600, nanoseconds: 0))
        #expect(offsets.boottime.totalSeconds == -1.5)
        #expect(parse("monotonic 1 0\n", SmallFileParsers.timeOffsets) == nil)
    }

    @Test func namespaceLink() {
        #expect(parse("net:[4026531833]", SmallFileParsers.namespaceInode) == 4_026_531_833)
        #expect(parse("net", SmallFileParsers.namespaceInode) == nil)
    }

    @Test func cmdlineKeepsEmptyArgumentsButNotTheTrailingNUL() {
        #expect(parse("./my prog\u{0}\u{0} a b\u{0}", SmallFileParsers.cmdline) == ["./my prog", "", " a b"])
        #expect(parse("", SmallFileParsers.cmdline).isEmpty)
        // A process may rewrite its argv without a final NUL.
        #expect(parse("nginx: worker", SmallFileParsers.cmdline) == ["nginx: worker"])
    }
}

@Suite struct MountAndNetParserTests {
    @Test func mountinfoCountsAndFindsProc() {
        let text = """
            22 1 0:21 / / rw - ext4 /dev/vda rw
            23 22 0:22 / /proc rw,nosuid shared:2 - proc proc rw
            26 22 0:24 / /my\\040mount rw - tmpfs tmpfs rw

            """
        #expect(parse(text, MountParser.summary) == MountSummary(count: 3, hasProcMount: true))
        #expect(
            parse(
                "22 1 0:21 / / rw - ext4 /dev/vda rw\n23 22 0:5 / /proc rw - tmpfs tmpfs rw\n",
                MountParser.summary) == MountSummary(count: 2, hasProcMount: false))
    }

    @Test func devNames() {
        let text = "Inter-|   Receive\n face |bytes\n    lo:    3193  29\n  veth-a.1:  0 0\n"
        #expect(parse(text, NetParsers.interfaceNames) == ["lo", "veth-a.1"])
    }

    @Test func igmpListsUpDevices() {
        let text =
            "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
            + "1\tlo        :     1      V3\n\t\t\t\t010000E0     1 0:00000000\t\t0\n"
            + "4\teth0      :     1      V3\n\t\t\t\t010000E0     1 0:00000000\t\t0\n"
        #expect(parse(text, NetParsers.igmpDevices) == ["lo", "eth0"])
        #expect(parse("Idx\tDevice    : Count Querier\n", NetParsers.igmpDevices).isEmpty)
    }

    @Test func ipv6Formatting() {
        let text =
            "00000000000000000000000000000001 01 80 10 80       lo\n"
            + "fe8000000000000000fc00fffe000001 02 40 20 80     eth0\n"
        let addresses = parse(text, NetParsers.ipv6Addresses)
        #expect(addresses.map(\.interface) == ["lo", "eth0"])
        #expect(addresses.map(\.address) == ["::1/128", "fe80::fc:ff:fe00:1/64"])
        #expect(NetParsers.formatIPv6([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1]) == "2001:db8:0:1::1")
        #expect(NetParsers.formatIPv6([1, 2, 3, 4, 5, 6, 7, 8]) == "1:2:3:4:5:6:7:8")
    }

    @Test func fibTrieLocalAddressesAndRoutes() {
        let trie =
            "Main:\n  +-- 0.0.0.0/0\n     |-- 10.0.0.0\n        /24 link UNICAST\n"
            + "     |-- 10.0.0.5\n        /32 host LOCAL\n"
            + "Local:\n     |-- 10.0.0.5\n        /32 host LOCAL\n     |-- 127.0.0.1\n        /32 host LOCAL\n"
        let local = parse(trie, NetParsers.localIPv4Addresses)
        #expect(local.map(NetParsers.formatIPv4) == ["10.0.0.5", "127.0.0.1"])
        let routes = parse(
            "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n"
                + "veth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\n", NetParsers.ipv4Routes)
        #expect(routes.count == 1)
        let interfaces = NetParsers.interfaces(names: ["lo", "veth0"], ipv4: local, routes: routes, ipv6: [])
        #expect(interfaces.map(\.addresses) == [["127.0.0.1/8"], ["10.0.0.5/24"]])
    }
}

@Suite struct JSONWriterTests {
    @Test func escapesAndNumbers() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("s")
        writer.string("a\"b\\c\nd\u{1}é")
        writer.key("n")
        writer.number(Int64(-42))
        writer.key("u")
        writer.number(UInt64.max - 1)
        writer.key("l")
        writer.beginArray()
        writer.null()
        writer.bool(true)
        writer.endArray()
        writer.key("t")
        writer.seconds(ClockOffset(seconds: -1, nanoseconds: 500_000_000))
        writer.endObject()
        #expect(writer.text == #"{"s":"a\"b\\c\nd\u0001é","n":-42,"u":18446744073709551614,"l":[null,true],"t":-0.5}"#)
    }
}
