import Foundation
import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// The recording's file, written by a thread of its own: order, the header at once, errors, close.
@Suite("Recording file on its own thread")
struct ThreadedFileSinkTests {
    func sink(_ path: String, _ flags: Int32 = O_WRONLY | O_CREAT | O_TRUNC) throws -> ThreadedFileSink {
        guard case .success(let fd) = SystemCall.open(path, flags, mode: 0o600) else {
            throw Errno.current
        }
        return ThreadedFileSink(FileSink(fd: fd, path: path))
    }

    @Test("every write reaches the file in order, also past the queue's limit, by the time close returns")
    func ordered() throws {
        let path = "/tmp/nslab-threaded-sink-\(getpid())"
        defer { unlink(path) }
        let file = try sink(path)
        var expected: [UInt8] = []
        // 20 MB in events of about 2 KB: more than the queue holds, so the loop also waits for room.
        let block = [UInt8](repeating: UInt8(ascii: "x"), count: 2_000)
        for number in 0..<10_000 {
            let event = Array("[\(number)] ".utf8) + block + [10]
            #expect(file.write(event) == nil)
            expected += event
        }
        file.close()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.count == expected.count)
        #expect(written == expected)
    }

    @Test("the first write is made at once: a file that cannot take the header says so before the lab starts")
    func headerAtOnce() throws {
        let file = try sink("/dev/full", O_WRONLY)
        #expect(file.write(Array("{\"version\": 2}\n".utf8)) == Errno(ENOSPC))
        #expect(file.write(Array("later".utf8)) == Errno(ENOSPC), "the error stays")
        file.close()
    }

    @Test("a write the thread fails is returned by a later write, and nothing is queued after it")
    func laterFailure() throws {
        let file = try sink("/dev/full", O_WRONLY)
        #expect(file.write([UInt8]()) == nil, "an empty header: nothing to fail")
        #expect(file.write(Array("queued".utf8)) == nil, "queued; the thread's write fails")
        var seen: Errno?
        for _ in 0..<200 where seen == nil {
            seen = file.write(Array("more".utf8))
            if seen == nil { usleep(10_000) }
        }
        #expect(seen == Errno(ENOSPC))
        file.close()
    }

    @Test("a write after close fails (the file is closed), and close twice is harmless")
    func afterClose() throws {
        let path = "/tmp/nslab-threaded-sink-closed-\(getpid())"
        defer { unlink(path) }
        let file = try sink(path)
        #expect(file.write(Array("head\n".utf8)) == nil)
        #expect(file.write(Array("body\n".utf8)) == nil)
        file.close()
        file.close()
        #expect(file.write(Array("late\n".utf8)) == Errno(EBADF))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "head\nbody\n")
    }
}
