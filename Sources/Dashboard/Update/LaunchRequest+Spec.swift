import NamespaceKit

extension LaunchRequest {
    /// The launch this request describes: only the options of ticked kinds apply (a hostname
    /// without UTS is a preset for later, not an error), and the shell gets a terminal of `size`.
    public func spec(shell: String, size: WindowSize, environment: [String]) throws -> LaunchSpec {
        var spec = LaunchSpec(kinds: kinds, command: [shell])
        if kinds.contains(.uts), !options.hostname.isEmpty { spec.hostname = options.hostname }
        spec.mountProc = options.freshProc && kinds.contains(.pid) && kinds.contains(.mount)
        spec.loopbackUp = options.loopbackUp
        if kinds.contains(.user) {
            if !options.uidMaps.isEmpty { spec.uidMap = try options.uidMaps.map(IDMapEntry.init(parsing:)) }
            if !options.gidMaps.isEmpty { spec.gidMap = try options.gidMaps.map(IDMapEntry.init(parsing:)) }
            spec.writeMaps = options.writeMaps
        }
        if kinds.contains(.time) {
            if options.monotonicOffset != 0 { spec.monotonicOffset = Double(options.monotonicOffset) }
            if options.boottimeOffset != 0 { spec.boottimeOffset = Double(options.boottimeOffset) }
        }
        spec.terminalSize = size
        spec.joining = joining
        // The pane is an xterm-like VT with 256 colours; the size comes from the pty, not from
        // variables that would go stale on the first resize.
        spec.environment =
            environment.filter {
                !$0.hasPrefix("TERM=") && !$0.hasPrefix("COLUMNS=") && !$0.hasPrefix("LINES=")
            } + ["TERM=xterm-256color"]
        return spec
    }
}

/// The dashboard's screen cell, named apart from TerminalKit's `Cell` for files that import both.
typealias ScreenCell = Cell
