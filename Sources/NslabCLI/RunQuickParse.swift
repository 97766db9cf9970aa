/// A quick reader for the plain shapes of a `nslab run` command line.
///
/// ArgumentParser builds its picture of a command by reflection: about 17 million instructions on every start,
/// mostly protocol-conformance lookups, which is three times what the launch itself costs and what kept
/// `nslab run` from starting as fast as `unshare`. So `nslab run` first tries this reader. It accepts only
/// the long options of `OptionTable.run`, each at most once (the kind flags and the maps may repeat), a value
/// after a space or an `=`, and the command after `--` or as the first word that does not start with `-` (as
/// unshare takes it). On anything else (help, a short option, a lone `-`, an unknown
/// or repeated option, a value that looks like an option or does not parse, or options that fail validation)
/// it returns nil, and ArgumentParser parses the line and writes the help or the error as always.
/// RunQuickParseTests checks on 800 generated command lines that both parsers agree.
extension RunOptions {
    /// Reads `arguments` (everything after `run`); nil when ArgumentParser must decide.
    init?(quickParsing arguments: ArraySlice<String>) {
        // Bit i set: option i of the table has been seen (the run table is far shorter than 64 options).
        var seen: UInt64 = 0
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                command = Array(arguments[index...])
                break
            }
            if !argument.hasPrefix("-") {
                command = Array(arguments[(index - 1)...])
                break
            }
            guard argument.hasPrefix("--") else { return nil }
            var name = argument.dropFirst(2)
            var inlineValue: Substring?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = name[name.index(after: equals)...]
                name = name[..<equals]
            }
            guard let (position, option) = OptionTable.option(named: name, in: OptionTable.run),
                let field = option.field
            else { return nil }
            if !option.repeats {
                guard seen & (1 << position) == 0 else { return nil }
                seen |= 1 << position
            }
            guard option.takesValue else {
                guard inlineValue == nil else { return nil }
                _ = set(field, to: "")
                continue
            }
            let value: Substring
            if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.endIndex else { return nil }
                value = arguments[index][...]
                index += 1
            }
            // A value that looks like an option is ArgumentParser's to judge (a missing value, or for the
            // offsets a negative number); so is an empty one.
            guard !value.isEmpty, !value.hasPrefix("-"), set(field, to: value) else { return nil }
        }
        guard (try? validate()) != nil else { return nil }
    }

    /// Sets `field` from `value` (ignored for a flag); false when the value does not parse as the field's type.
    private mutating func set(_ field: RunField, to value: Substring) -> Bool {
        switch field {
        case .kind(let flag): kindFlags.append(flag)
        case .mapRoot: mapRoot = true
        case .mountProc: mountProc = true
        case .noLoopback: noLoopback = true
        case .hostname: hostname = String(value)
        case .uidMap: uidMap.append(String(value))
        case .gidMap: gidMap.append(String(value))
        case .monotonic:
            guard let seconds = Double(value) else { return false }
            monotonic = seconds
        case .boottime:
            guard let seconds = Double(value) else { return false }
            boottime = seconds
        }
        return true
    }
}
