import Foundation
import Glibc
import NamespaceKit
import Testing

@testable import Dashboard

/// The recording's file, encoded and written by a thread of its own: the same lines as encoding at once, in
/// order, the header at once, markers without delay, errors, close.
@Suite("Recording file on its own thread")
struct ThreadedCastWriterTests {
    func writer(
        _ path: String, _ flags: Int32 = O_WRONLY | O_CREAT | O_TRUNC, gatherTime: Int = 20_000_000
    ) throws -> ThreadedCastWriter {
        guard case .success(let fd) = SystemCall.open(path, flags, mode: 0o600) else {
            throw Errno.current
        }
        return ThreadedCastWriter(FileSink(fd: fd, path: path), gatherTime: gatherTime)
    }

    func put(_ writer: any CastWriter, _ kind: CastEventKind, _ time: UInt64, _ bytes: [UInt8]) -> Errno? {
        bytes.withUnsafeBytes { writer.put(kind, at: time, $0) }
    }

    func contents(_ path: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
    }

    @Test("the file holds what encoding each event at once writes, byte for byte, also past the queue's limit")
    func sameAsAtOnce() throws {
        let path = "/tmp/nslab-threaded-cast-\(getpid())"
        defer { unlink(path) }
        let threaded = try writer(path)
        let memory = MemorySink()
        let direct = EncodingCastWriter(memory)
        #expect(threaded.header(Array("{\"version\": 2}\n".utf8)) == nil)
        #expect(direct.header(Array("{\"version\": 2}\n".utf8)) == nil)
        // About 30 MB of events in pty-sized chunks, more than the queue holds, so the loop also waits for room;
        // characters cut between chunks, escapes, invalid bytes, resizes, markers and a restart among them.
        var generator = SystemRandomNumberGenerator()
        let alphabet: [[UInt8]] = [
            Array("plain text ".utf8), [0x1B, 0x5B, 0x33, 0x31, 0x6D], Array("é€😀".utf8), [0xFF, 0xC3], [0x22, 0x5C, 0x0A],
        ]
        for number in 0..<7_000 {
            var chunk: [UInt8] = []
            while chunk.count < 4_000 { chunk += alphabet.randomElement(using: &generator)! }
            let time = UInt64(number) * 1_000_000
            for writer in [threaded, direct] as [any CastWriter] {
                #expect(put(writer, .output, time, chunk) == nil)
                if number % 500 == 0 { #expect(put(writer, .marker, time, Array("step \(number) ✓".utf8)) == nil) }
                if number % 900 == 0 { #expect(put(writer, .resize, time, Array("80x\(number % 50 + 10)".utf8)) == nil) }
                if number == 3_333 { #expect(put(writer, .restart, time, []) == nil) }
            }
        }
        #expect(put(threaded, .output, 7_000_000_000, [0xE2, 0x82]) == nil)
        #expect(put(direct, .output, 7_000_000_000, [0xE2, 0x82]) == nil)
        #expect(put(threaded, .finish, 7_000_000_001, []) == nil)
        #expect(put(direct, .finish, 7_000_000_001, []) == nil)
        threaded.close()
        let written = contents(path)
        #expect(written.count == memory.bytes.count)
        #expect(written == memory.bytes)
        #expect(memory.text.hasSuffix("\"\u{FFFD}\"]\n"), "the held half character ends the file as U+FFFD")
    }

    @Test("output waits to gather a batch; a marker has it written at once, with everything before it")
    func markerAtOnce() throws {
        let path = "/tmp/nslab-threaded-cast-marker-\(getpid())"
        defer { unlink(path) }
        let file = try writer(path, gatherTime: 30_000_000_000)  // 30 s: only a marker (or close) ends the wait
        #expect(file.header(Array("{}\n".utf8)) == nil)
        #expect(put(file, .output, 1_000, Array("before".utf8)) == nil)
        usleep(200_000)
        #expect(String(decoding: contents(path), as: UTF8.self) == "{}\n", "output alone gathers")
        #expect(put(file, .marker, 2_000, Array("$ ls (exit 0)".utf8)) == nil)
        var text = ""
        for _ in 0..<200 where !text.contains("exit 0") {
            usleep(10_000)
            text = String(decoding: contents(path), as: UTF8.self)
        }
        #expect(text == "{}\n[0.000001, \"o\", \"before\"]\n[0.000002, \"m\", \"$ ls (exit 0)\"]\n")
        file.close()
    }

    @Test("the header is written at once: a file that cannot take it says so before the lab starts")
    func headerAtOnce() throws {
        let file = try writer("/dev/full", O_WRONLY)
        #expect(file.header(Array("{\"version\": 2}\n".utf8)) == Errno(ENOSPC))
        #expect(put(file, .output, 0, Array("later".utf8)) == Errno(ENOSPC), "the error stays")
        file.close()
    }

    @Test("a write the thread fails is returned by a later put, and nothing is queued after it")
    func laterFailure() throws {
        let file = try writer("/dev/full", O_WRONLY, gatherTime: 1_000_000)
        #expect(file.header([]) == nil, "an empty header: nothing to fail")
        #expect(put(file, .output, 0, Array("queued".utf8)) == nil, "queued; the thread's write fails")
        var seen: Errno?
        for _ in 0..<200 where seen == nil {
            seen = put(file, .output, 0, Array("more".utf8))
            if seen == nil { usleep(10_000) }
        }
        #expect(seen == Errno(ENOSPC))
        file.close()
    }

    @Test("a put after close fails (the file is closed), and close twice is harmless")
    func afterClose() throws {
        let path = "/tmp/nslab-threaded-cast-closed-\(getpid())"
        defer { unlink(path) }
        let file = try writer(path)
        #expect(file.header(Array("head\n".utf8)) == nil)
        #expect(put(file, .output, 1_500_000, Array("body".utf8)) == nil)
        file.close()
        file.close()
        #expect(put(file, .output, 2_000_000, Array("late".utf8)) == Errno(EBADF))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "head\n[0.001500, \"o\", \"body\"]\n")
    }
}
