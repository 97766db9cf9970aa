/// A launch said as util-linux's `unshare(1)` would do it: the bridge from nslab back to the standard tool.
public enum UnshareExport {
    /// The command line as words, `unshare` first. Parity with `nslab run`: `--fork` and `--kill-child` (the
    /// child dies with its parent), `--map-root-user` for the default map, `--mount-proc` (whose mount
    /// namespace unshare makes private first, as nslab does). unshare has no hostname option and leaves `lo`
    /// down, so when the spec sets either, the command runs under a small `sh -c` that does it first.
    public static func arguments(_ spec: LaunchSpec) -> [String] {
        var words = ["unshare", "--fork", "--kill-child"]
        for kind in NamespaceKind.allCases where spec.kinds.contains(kind) {
            switch kind {
            case .mount: words.append(spec.mountProc ? "--mount-proc" : "--mount")
            case .user:
                if !spec.writeMaps {
                    words.append("--user")  // no maps: unshare writes none either
                } else if spec.uidMap == nil && spec.gidMap == nil {
                    words.append("--map-root-user")
                } else {
                    // Explicit maps go through newuidmap/newgidmap (Debian's uidmap package), as unshare does.
                    words.append("--user")
                    words += spec.effectiveUIDMap.map { "--map-users=\($0.outside),\($0.inside),\($0.count)" }
                    words += spec.effectiveGIDMap.map { "--map-groups=\($0.outside),\($0.inside),\($0.count)" }
                }
            case .time:
                words.append("--time")
                if let offset = spec.monotonicOffset { words += ["--monotonic", seconds(offset)] }
                if let offset = spec.boottimeOffset { words += ["--boottime", seconds(offset)] }
            default: words.append("--\(kind.rawValue)")
            }
        }
        var setup: [String] = []
        if spec.kinds.contains(.uts), let hostname = spec.hostname {
            setup.append("hostname " + ShellQuoting.word(hostname))
        }
        if spec.kinds.contains(.net) && spec.loopbackUp { setup.append("ip link set lo up") }
        if setup.isEmpty { return words + spec.command }
        return words + ["sh", "-c", (setup + ["exec \"$0\" \"$@\""]).joined(separator: " && ")] + spec.command
    }

    /// The command line as one line to paste into a shell.
    public static func line(_ spec: LaunchSpec) -> String {
        arguments(spec).map(ShellQuoting.word).joined(separator: " ")
    }

    /// Whole seconds without a fraction, as unshare takes them.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// Quoting for POSIX shells: a word is left bare when it has only safe characters, else single-quoted.
public enum ShellQuoting {
    /// `word` as the shell must read it to get exactly `word` back.
    public static func word(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "-_./=:,+@%".unicodeScalars.contains($0)
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension String {
    /// This string with every `target` replaced (Foundation stays out of nslab).
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
