import NamespaceKit

/// An edit dialog (`h` hostname, `m` maps, Enter on Time for the offsets), validated as it is typed.
public struct EditDialog: Equatable, Sendable {
    /// Which option the dialog edits.
    public enum Purpose: Equatable, Sendable {
        /// The UTS hostname.
        case hostname
        /// The uid and gid maps.
        case maps
        /// The monotonic and boottime offsets.
        case timeOffsets
    }

    /// Which validator checks a field.
    public enum FieldKind: Equatable, Sendable {
        /// A hostname.
        case hostname
        /// Zero or more lines of one uid or gid map, separated by commas.
        case idMaps(IDKind)
        /// Whole seconds.
        case offset
    }

    /// One labelled text field.
    public struct Field: Equatable, Sendable {
        /// The label before the field.
        public var label: String
        /// What is typed.
        public var text: String
        /// The validator.
        public var kind: FieldKind
        /// The current problem, or nil when the text is valid.
        public var problem: String?
    }

    /// What the dialog edits.
    public var purpose: Purpose
    /// The dialog's title.
    public var title: String
    /// Its fields.
    public var fields: [Field]
    /// The field with the cursor.
    public var focusedField: Int = 0

    /// True when every field validates, so Enter may apply it.
    public var isValid: Bool { fields.allSatisfy { $0.problem == nil } }

    /// A dialog for `purpose`, pre-filled from the current options.
    init(purpose: Purpose, options: NamespaceOptions, validators: DashboardValidators) {
        self.purpose = purpose
        switch purpose {
        case .hostname:
            title = "UTS hostname"
            fields = [Field(label: "hostname", text: options.hostname, kind: .hostname)]
        case .maps:
            title = "User namespace maps (INSIDE OUTSIDE COUNT, comma between maps)"
            fields = [
                Field(label: "uid map", text: options.uidMaps.joined(separator: ", "), kind: .idMaps(.uid)),
                Field(label: "gid map", text: options.gidMaps.joined(separator: ", "), kind: .idMaps(.gid)),
            ]
        case .timeOffsets:
            title = "Time namespace offsets (seconds)"
            fields = [
                Field(label: "monotonic", text: String(options.monotonicOffset), kind: .offset),
                Field(label: "boottime", text: String(options.boottimeOffset), kind: .offset),
            ]
        }
        revalidate(with: validators)
    }

    /// Re-checks every field; called after each keystroke.
    mutating func revalidate(with validators: DashboardValidators) {
        for index in fields.indices {
            fields[index].problem = Self.problem(in: fields[index], validators: validators)
        }
    }

    /// The problem with one field, if any.
    static func problem(in field: Field, validators: DashboardValidators) -> String? {
        switch field.kind {
        case .hostname: return validators.hostname(field.text)
        case .offset: return validators.offset(field.text.trimmingSpaces)
        case .idMaps(let kind):
            // Empty is valid: the launcher's default maps root inside to the caller outside.
            let lines = Self.splitMaps(field.text)
            return lines.isEmpty ? nil : validators.idMap(lines, kind)
        }
    }

    /// "0 1000 1, 1 100000 65536" -> ["0 1000 1", "1 100000 65536"].
    static func splitMaps(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// Writes the dialog's values into `options` (only call when valid).
    func apply(to options: inout NamespaceOptions) {
        switch purpose {
        case .hostname:
            options.hostname = fields[0].text
        case .maps:
            options.uidMaps = Self.splitMaps(fields[0].text)
            options.gidMaps = Self.splitMaps(fields[1].text)
        case .timeOffsets:
            options.monotonicOffset = Int64(fields[0].text.trimmingSpaces) ?? 0
            options.boottimeOffset = Int64(fields[1].text.trimmingSpaces) ?? 0
        }
    }
}

/// Small string helpers the dashboard needs without Foundation.
extension String {
    /// The string without leading and trailing spaces (Foundation-free).
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
