/// A quick reader for the plain shapes of a `nslab run` command line.
///
/// ArgumentParser builds its picture of a command by reflection: about 17 million instructions on every start,
/// mostly protocol-conformance lookups, which is three times what the launch itself costs and what kept
/// `nslab run` from starting as fast as `unshare`. So `nslab run` first tries this reader. It accepts only
/// the long options `RunCommand` declares, each at most once (the kind flags and the maps may repeat), a value
/// after a space or an `=`, and the command after `--` or as the first word that does not start with `-` (as
/// unshare takes it). On anything else (help, a short option, a lone `-`, an unknown
/// or repeated option, a value that looks like an option or does not parse, or options that fail validation)
/// it returns nil, and ArgumentParser parses the line and writes the help or the error as always.
/// RunQuickParseTests checks on 800 generated command lines that both parsers agree.
extension RunOptions {
    /// Reads `arguments` (everything after `run`); nil when ArgumentParser must decide.
    init?(quickParsing arguments: ArraySlice<String>) {
        var seen = Set<Substring>()
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
            if let flag = KindFlag.byLongName[name] {
                guard inlineValue == nil else { return nil }
                kindFlags.append(flag)
                continue
            }
            let repeatable = name == "uid-map" || name == "gid-map"
            guard repeatable || seen.insert(name).inserted else { return nil }
            switch name {
            case "map-root", "mount-proc", "no-loopback":
                guard inlineValue == nil else { return nil }
                switch name {
                case "map-root": mapRoot = true
                case "mount-proc": mountProc = true
                default: noLoopback = true
                }
            case "hostname", "uid-map", "gid-map", "monotonic", "boottime":
                let value: String
                if let inlineValue {
                    value = String(inlineValue)
                } else {
                    guard index < arguments.endIndex else { return nil }
                    value = arguments[index]
                    index += 1
                }
                // A value that looks like an option is ArgumentParser's to judge (a missing value, or for the
                // offsets a negative number); so is an empty one.
                guard !value.isEmpty, !value.hasPrefix("-") else { return nil }
                switch name {
                case "hostname": hostname = value
                case "uid-map": uidMap.append(value)
                case "gid-map": gidMap.append(value)
                case "monotonic":
                    guard let seconds = Double(value) else { return nil }
                    monotonic = seconds
                default:
                    guard let seconds = Double(value) else { return nil }
                    boottime = seconds
                }
            default:
                return nil
            }
        }
        guard (try? validate()) != nil else { return nil }
    }
}

extension KindFlag {
    /// Every kind flag by its long name, `mnt` included; built from `longNames`, as `name(for:)` is.
    static let byLongName: [Substring: KindFlag] = {
        var table: [Substring: KindFlag] = [:]
        for flag in allCases {
            for name in flag.longNames { table[Substring(name)] = flag }
        }
        return table
    }()
}
