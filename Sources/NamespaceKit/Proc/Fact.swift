/// A value read from /proc, or why it is missing.
///
/// `unknown`: the file could not be read (permission, or the process changed mid-read).
/// `unavailable`: this kernel does not have the thing at all (e.g. no time namespaces).
public enum Fact<Value: Sendable>: Sendable {
    case known(Value)
    case unknown
    case unavailable

    /// The value when known.
    public var value: Value? {
        if case .known(let value) = self { return value }
        return nil
    }

    /// Transforms a known value, keeping unknown/unavailable as they are.
    public func map<Other>(_ transform: (Value) -> Other) -> Fact<Other> {
        switch self {
        case .known(let value): .known(transform(value))
        case .unknown: .unknown
        case .unavailable: .unavailable
        }
    }
}

extension Fact: Equatable where Value: Equatable {}
extension Fact: Hashable where Value: Hashable {}
