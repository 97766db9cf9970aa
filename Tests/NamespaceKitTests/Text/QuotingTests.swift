import Testing

@testable import NamespaceKit

/// The one helper every message uses to repeat what a user gave (issue 13, point 12).
@Suite("quoting user input in messages")
struct QuotingTests {
    /// Guards against `--hostname $'a\nb'` printing only `nslab: hostname 'a` and `$'\e[31mred'` colouring the
    /// user's terminal: control characters are escaped, everything else passes unchanged.
    @Test(
        "control characters become escapes; other text, backslashes and non-ASCII stay",
        arguments: [
            ("a\nb", "a\\nb"), ("\u{1b}[31mred", "\\x1b[31mred"), ("tab\there", "tab\\there"), ("cr\r", "cr\\r"),
            ("nul\u{0}", "nul\\x00"), ("del\u{7f}", "del\\x7f"), ("csi\u{9b}2J", "csi\\u{9b}2J"),
            ("plain", "plain"), ("ünï °£", "ünï °£"), ("back\\slash", "back\\slash"), ("", ""),
        ])
    func escapes(input: String, expected: String) {
        #expect(input.escapingControls == expected)
        #expect(input.quoted == "'" + expected + "'")
    }

    /// Guards against a message being escaped twice (once where it is phrased, once by `Nslab.fail`) and
    /// showing `\\n`: escaping an escaped text changes nothing.
    @Test("escaping twice is the same as once")
    func idempotent() {
        let text = "a\nb\u{1b}c\u{9b}"
        #expect(text.escapingControls.escapingControls == text.escapingControls)
    }

    /// Guards point 12 on the errors the dashboard shows as they are: each that quotes input quotes it escaped.
    @Test("the launch errors quote what was given with the helper")
    func errorsUseTheHelper() {
        #expect(IDMapError.malformed("0 0 1\n1 1 1").description.hasPrefix("map '0 0 1\\n1 1 1' is not"))
        #expect(LaunchSpecError.badHostname("a\nb", reason: "is odd").description == "hostname 'a\\nb' is odd")
        #expect(KindListError(word: "u\u{1b}ts").description.hasPrefix("'u\\x1bts' is not a namespace kind"))
        #expect(LaunchError.commandNotFound("x\ny").message() == "x\\ny: command not found")
        for message in [
            IDMapError.malformed("\n").description, LaunchSpecError.badHostname("\u{1b}", reason: "r").description,
            LaunchError.notExecutable("/a\n", .accessDenied).message(),
            LaunchError.step(.exec, .noSuchFile, kinds: [], command: "\u{1b}").message(),
        ] {
            #expect(!message.unicodeScalars.contains { $0.value < 0x20 }, "\(message.debugDescription)")
        }
    }
}
