import Glibc
import NamespaceKit

/// Why the notebook's directory or files could not be written.
public enum NotebookError: Error, Equatable, Sendable {
    /// The path (or one of its parents) exists and is not a directory.
    case notDirectory(String)
    /// Creating the directory failed.
    case directory(String, Errno)
    /// Opening or writing a file failed.
    case file(String, Errno)

    /// One sentence a user can act on.
    public var message: String {
        switch self {
        case .notDirectory(let path):
            "\(path) is not a directory; give a directory (it is created if missing)"
        case .directory(let path, let error):
            "cannot create the directory \(path): \(error); give a directory you can write"
        case .file(let path, let error):
            "cannot write \(path): \(error); give a directory you can write, with room left"
        }
    }
}

/// The notebook's files on disk: the directory made if missing, `notebook.md` opened for appending, a recording
/// file that never replaces an earlier one. The one place the notebook calls into the C library for files.
@usableFromInline
enum NotebookFiles {
    /// The notebook's file name.
    static let notebookName = "notebook.md"

    /// Makes `path` and its missing parents (mode 0755), as `mkdir -p`.
    static func makeDirectory(_ path: String) throws(NotebookError) {
        if case .success(let status) = SystemCall.fileStatus(path) {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw .notDirectory(path) }
            return
        }
        let parent = parentOf(path)
        if parent != path { try makeDirectory(parent) }
        if let error = SystemCall.makeDirectory(path, mode: 0o755), error.rawValue != EEXIST {
            throw .directory(path, error)
        }
        guard case .success(let status) = SystemCall.fileStatus(path), status.st_mode & S_IFMT == S_IFDIR else {
            throw .notDirectory(path)
        }
    }

    /// The directory part of `path` ("." for a bare name, "/" for a top-level one).
    static func parentOf(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let parent = trimmed[..<slash]
        return parent.isEmpty ? "/" : String(parent)
    }

    /// Opens `path` for appending (created 0644 if missing); the sink, and the newlines a new section needs
    /// before it so that it starts after a blank line ("" for an empty file or one that ends in a blank line).
    static func openForAppending(_ path: String) throws(NotebookError) -> (sink: FileSink, separator: String) {
        let fd: FileDescriptor
        switch SystemCall.open(path, O_RDWR | O_CREAT | O_APPEND | O_NOCTTY, mode: 0o644) {
        case .success(let opened): fd = opened
        case .failure(let error): throw .file(path, error)
        }
        guard case .success(let status) = SystemCall.fileStatus(fd), status.st_size > 0 else {
            return (FileSink(fd: fd, path: path), "")
        }
        var tail: [UInt8] = [0, 0]
        let count = min(2, Int(status.st_size))
        let got = tail.withUnsafeMutableBytes {
            (try? SystemCall.read(
                fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<count]),
                at: Int(status.st_size) - count
            ).get()) ?? 0
        }
        let last = Array(tail.prefix(max(0, got)))
        let newlines = last.reversed().prefix { $0 == 0x0A }.count
        let separator = String(repeating: "\n", count: max(0, 2 - newlines))
        return (FileSink(fd: fd, path: path), separator)
    }

    /// Creates a recording file that did not exist: `lab.cast`, else `lab-2.cast`, `lab-3.cast`... (an
    /// asciicast holds one recording, so an earlier lab's is never appended to or replaced). Returns the sink and
    /// the name chosen.
    static func createRecording(in directory: String) throws(NotebookError) -> (sink: FileSink, name: String) {
        var number = 1
        while true {
            let name = number == 1 ? "lab.cast" : "lab-\(number).cast"
            let path = directory + "/" + name
            switch SystemCall.open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOCTTY, mode: 0o644) {
            case .success(let fd): return (FileSink(fd: fd, path: path), name)
            case .failure(let error):
                guard error.rawValue == EEXIST, number < 10_000 else { throw .file(path, error) }
            }
            number += 1
        }
    }

    /// Unix time now, in seconds.
    @usableFromInline
    static func wallClock() -> Int { Int(time(nil)) }
}
