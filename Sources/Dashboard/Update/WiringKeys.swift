import NamespaceKit

/// The map's wiring key (`w`): which two children it would join, or why it will not. Pure: the wiring itself is
/// the update step's (`WiringUpdate.swift`).
extension DashboardModel {
    /// `w`: the tab on show and the child under the cursor, wired or unwired; a refusal goes to the status line.
    mutating func wireKey() -> [DashboardAction] {
        switch wiringParties() {
        case .success(let parties):
            return [.wire(parties.shown, parties.other)]
        case .failure(let refusal):
            show(refusal.description, isError: true)
            return []
        }
    }

    /// The two sides `w` would wire: the tab on show's namespace and the namespace under the map's cursor, which
    /// must be another child's of this dashboard. Refused: no child's tab on show, a child in nslab's own network
    /// namespace, the host's namespace, nslab's bridge, the same namespace, one no child of this dashboard is
    /// in. (Privilege is the update step's to check: it reads who owns the two namespaces.)
    func wiringParties() -> Result<(shown: WireParty, other: WireParty), WiringRefusal> {
        guard let map = network.map, let target = network.selected else { return .failure(.noChildTab) }
        let live = tabs.enumerated().filter { !$0.element.closed && !$0.element.isHost && $0.element.exit == nil }
        guard let shownTab = shownTab, let shown = live.first(where: { $0.element.id == shownTab.id }) else {
            return .failure(.noChildTab)
        }
        let shownLabel = "tab \(shown.offset + 1)"
        // A child launched since the map's last full reading is in the tree's snapshot before it is on the map.
        let shownID =
            map.namespaces.first(where: { $0.pids.contains(shown.element.pid) })?.id
            ?? snapshot?.process(shown.element.pid)?.namespaces[.net].value
        guard let shownID else { return .failure(.notReadYet(shownLabel)) }
        let hostIDs = Set(map.namespaces.filter { $0.isOwn || NetworkMapView.isHost($0) }.map(\.id))
        if hostIDs.contains(shownID) { return .failure(.noOwnNamespace(shownLabel)) }
        if hostIDs.contains(target.id) { return .failure(.hostNamespace) }
        if target.id == network.bridgeNamespace { return .failure(.bridgeNamespace) }
        if target.id == shownID { return .failure(.sameNamespace(shownLabel)) }
        // Only a namespace nslab created is changed: one a child launched with Net is in. A tab opened with `e`
        // joined a namespace someone else made (a container's, say), even though its child is nslab's.
        let created = live.filter { $0.element.request.kinds.contains(.net) }
        if !created.contains(where: { $0.element.pid == shown.element.pid })
            && !(map.namespace(shownID)?.pids.contains { pid in created.contains { $0.element.pid == pid } } ?? false)
        {
            return .failure(.notCreatedByNslab(shownLabel + "'s network namespace"))
        }
        guard let other = created.first(where: { target.pids.contains($0.element.pid) }) else {
            return .failure(.notCreatedByNslab(NetworkMapView.title(of: target, tabs: tabs)))
        }
        return .success(
            (
                WireParty(namespace: shownID, pid: shown.element.pid, label: shownLabel),
                WireParty(namespace: target.id, pid: other.element.pid, label: "tab \(other.offset + 1)")
            ))
    }
}
