import Glibc

/// A step's `output`: a POSIX extended regular expression (regcomp(3) with REG_EXTENDED | REG_NOSUB), compiled
/// once when the lesson file is read, matched against one output row at a time.
public final class OutputPattern: Equatable, Sendable, CustomStringConvertible {
    /// The expression as the file wrote it.
    public let source: String
    /// The compiled expression; regexec(3) only reads it, so matching from any thread is safe.
    private nonisolated(unsafe) let compiled: UnsafeMutablePointer<regex_t>

    /// Compiles `source`; throws regerror(3)'s message when it is not an extended regular expression.
    public init(_ source: String) throws(OutputPatternError) {
        // Compiled into a local first: once both properties are set, deinit frees them, which must not happen
        // to an expression regcomp refused.
        let regex = UnsafeMutablePointer<regex_t>.allocate(capacity: 1)
        let code = regcomp(regex, source, REG_EXTENDED | REG_NOSUB)
        guard code == 0 else {
            var message = [CChar](repeating: 0, count: 256)
            regerror(code, regex, &message, message.count)
            regex.deallocate()
            throw OutputPatternError(
                message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.source = source
        compiled = regex
    }

    deinit {
        regfree(compiled)
        compiled.deallocate()
    }

    /// True when `row` has a match anywhere in it.
    public func matches(_ row: String) -> Bool {
        regexec(compiled, row, 0, nil, 0) == 0
    }

    /// The expression, for messages and tests.
    public var description: String { source }

    /// Equal when written the same: the same text compiles to the same expression.
    public static func == (a: OutputPattern, b: OutputPattern) -> Bool { a.source == b.source }
}

/// Why an `output` expression did not compile: regerror(3)'s words.
public struct OutputPatternError: Error, Equatable, Sendable {
    /// The message, e.g. "Unmatched ( or \\(".
    public var message: String
}
