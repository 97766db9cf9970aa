/// One kind in a process-vs-process comparison.
public struct KindComparison: Sendable, Hashable {
    /// The kind compared.
    public var kind: NamespaceKind
    /// Namespace id of the left process.
    public var leftID: Fact<UInt64>
    /// Namespace id of the right process.
    public var rightID: Fact<UInt64>
    /// The facts of this kind for the left process.
    public var leftFacts: [FactLine]
    /// The facts of this kind for the right process.
    public var rightFacts: [FactLine]

    /// True/false when both ids are known, nil otherwise.
    public var same: Bool? {
        guard let left = leftID.value, let right = rightID.value else { return nil }
        return left == right
    }
}

/// Two processes side by side, kind by kind: what `nslab inspect` prints and the dashboard shows.
public struct Comparison: Sendable {
    /// The process being inspected.
    public var left: ProcessRecord
    /// The process it is compared with (by default nslab itself, i.e. the host).
    public var right: ProcessRecord
    /// Typed facts of the left process.
    public var leftFacts: ProcessFacts
    /// Typed facts of the right process.
    public var rightFacts: ProcessFacts
    /// One row per kind, in `NamespaceKind.allCases` order.
    public var kinds: [KindComparison]

    /// Builds the rows from both records and their facts.
    public init(left: ProcessRecord, right: ProcessRecord, leftFacts: ProcessFacts, rightFacts: ProcessFacts) {
        self.left = left
        self.right = right
        self.leftFacts = leftFacts
        self.rightFacts = rightFacts
        kinds = NamespaceKind.allCases.map { kind in
            KindComparison(
                kind: kind, leftID: left.namespaces[kind], rightID: right.namespaces[kind],
                leftFacts: leftFacts.lines(kind), rightFacts: rightFacts.lines(kind))
        }
    }

    /// The kinds in which the two processes are in different namespaces.
    public var differingKinds: [NamespaceKind] {
        kinds.filter { $0.same == false }.map(\.kind)
    }
}

/// Why a comparison could not be made.
public enum ComparisonError: Error, Sendable, CustomStringConvertible, Equatable {
    /// No such process (never existed, or exited).
    case noProcess(Int32)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .noProcess(let pid): "no process with pid \(pid) (it does not exist or has exited)"
        }
    }
}

extension ProcScanner {
    /// Compares `pid` with `other` kind by kind, reading a fresh snapshot (with namespace relations).
    public func compare(_ pid: Int32, with other: Int32) throws(ComparisonError) -> Comparison {
        let snapshot = refresh(relations: true)
        return try compare(pid, with: other, in: snapshot)
    }

    /// Compares two processes of an existing snapshot (re-reading facts, which are live).
    public func compare(_ pid: Int32, with other: Int32, in snapshot: Snapshot) throws(ComparisonError) -> Comparison {
        guard let left = snapshot.process(pid) ?? readProcess(pid) else { throw .noProcess(pid) }
        guard let right = snapshot.process(other) ?? readProcess(other) else { throw .noProcess(other) }
        return Comparison(
            left: left, right: right, leftFacts: readFacts(of: pid, in: snapshot),
            rightFacts: readFacts(of: other, in: snapshot))
    }
}
