import NamespaceKit

extension Key {
    /// Shift-F5: a new child inside the namespaces of the child on show.
    static let launchInside = Key.modified(.function(5), .shift)
}

/// Children started inside running processes: `e` in the tree (every namespace of the selected process, or
/// only the ticked kinds when any are ticked) and Shift-F5 (the ticked kinds new, on top of the shown child's
/// namespaces). Both join in C, as `nslab enter` and `nslab run --inside` do.
extension DashboardModel {
    /// `e`: a shell inside `row`'s namespaces, in a tab titled "entered PID (comm)".
    mutating func enter(_ row: ProcessRow) -> [DashboardAction] {
        let kinds = ticked.isEmpty ? row.differingKinds : row.differingKinds.intersection(ticked)
        let unknown = ticked.isEmpty ? row.unknownKinds : row.unknownKinds.intersection(ticked)
        // Unknown is never the same: namespaces nslab cannot read are not "shared", and joining them blind would
        // fail with the same permission that hides them.
        if kinds.isEmpty, !unknown.isEmpty {
            let letters = NamespaceKind.allCases.filter(unknown.contains).map(\.title).joined(separator: ", ")
            show(
                "pid \(row.pid)'s namespaces (\(letters)) cannot be read by this user: run nslab as root to enter it.",
                isError: true)
            return []
        }
        guard !kinds.isEmpty else {
            let which = ticked.isEmpty ? "every namespace" : "the ticked kinds"
            show("pid \(row.pid) shares \(which) with nslab: there is nothing to enter.", isError: true)
            return []
        }
        var request = LaunchRequest(kinds: [], options: options)
        request.joining = JoinTarget(pid: row.pid, kinds: kinds)
        request.title = "entered \(row.pid) (\(commandName(row)))"
        return [.launch(request)]
    }

    /// Shift-F5: a child inside the namespaces of the child on show, the ticked kinds created anew on top.
    mutating func launchInsideShownTab() -> [DashboardAction] {
        guard let tab = shownTab else {
            show("Shift-F5 launches inside a child's namespaces: launch one with F5 first.", isError: true)
            return []
        }
        guard tab.exit == nil else {
            show("child \(tab.pid) is not running: there are no namespaces to launch inside.", isError: true)
            return []
        }
        // The tree says where the child differs from the host; before a scan has seen it (a busy machine, just
        // after F5), its own launch does: the kinds it made and the ones it joined.
        let differing =
            processes.first(where: { $0.pid == tab.pid })?.differingKinds
            ?? tab.request.kinds.union(tab.request.joining?.kinds ?? [])
        var request = launchRequest
        // Kinds the child shares with the host are the host's: nothing to join there.
        if !differing.isEmpty { request.joining = JoinTarget(pid: tab.pid, kinds: differing) }
        request.title = "inside \(tab.pid): " + ChildTab.kindList(LaunchRequest(kinds: ticked, options: options))
        return [.launch(request)]
    }

    /// `r` in the comparison panel: a child started inside another process is compared with that process or
    /// with the host.
    mutating func switchComparisonReference() -> [DashboardAction] {
        // The switch is the panel's own state (it holds for every such child until switched back); the panel
        // title says which side is compared.
        comparison.againstHost.toggle()
        guard case .tab(let id)? = comparison.target, let tab = tab(id), tab.request.joining != nil else { return [] }
        return [.selectProcess(tab.pid)]
    }

    /// The process's name for a tab title: the kernel's comm when scanned, else the command's first word.
    private func commandName(_ row: ProcessRow) -> String {
        if let comm = snapshot?.process(row.pid)?.comm { return comm.escapingControls }
        let first = row.command.split(separator: " ").first.map(String.init) ?? row.command
        return String(first.split(separator: "/").last ?? Substring(first))
    }
}
