import Foundation
import Glibc
@testable import NamespaceKit
import Testing

/// Login names from the password file itself: nslab is static, and NSS modules (libnss_systemd) crash it.
@Suite("User names from the password file")
struct UserNamesTests {
    @Test("names by uid, the first line for a uid winning; a uid without a line is its number")
    func fromFile() throws {
        let path = "/tmp/nslab-passwd-\(getpid())"
        defer { unlink(path) }
        let text = """
            root:x:0:0:root:/root:/bin/bash
            # a comment line
            alice:x:1000:1000:Alice:/home/alice:/bin/sh
            alias:x:1000:1000::/home/alias:/bin/sh
            broken line without fields
            bob:x:notanumber:1::/:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let names = UserNames(passwd: path)
        #expect(names.name(0) == "root")
        #expect(names.name(1000) == "alice")
        #expect(names.name(65534) == "nobody")
        #expect(names.name(4242) == "4242")
        #expect(UserNames.passwdName(1000, path: path) == "alice")
        #expect(UserNames.passwdName(4242, path: path) == nil)
    }

    @Test("one reader for names and homes: comments, short lines and a uid that is no number")
    func entries() {
        let text = """
            root:x:0:0:root:/root:/bin/bash
            # a comment:x:5:5::/home/c:/bin/sh
            short:x:7
            odd:x:seven:7::/home/odd:/bin/sh

            alice:x:1000:1000:Alice,,,:/home/alice:/usr/bin/fish
            """
        let entries = PasswdEntry.entries(Array(text.utf8))
        #expect(entries.map(\.name) == ["root", "short", "odd", "alice"])
        #expect(entries.map(\.uid) == [0, 7, nil, 1000])
        #expect(entries.map(\.home) == ["/root", nil, "/home/odd", "/home/alice"])
    }

    @Test("the machine's own file: root is uid 0, as getent says")
    func machine() throws {
        #expect(UserNames().name(0) == "root")
        #expect(UserNames.passwdName(UInt32(getuid())) != nil)
    }
}
