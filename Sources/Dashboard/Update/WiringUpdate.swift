import NamespaceKit

/// The wiring's I/O: `w`'s plan carried out, the links of children that went cleaned up, everything undone on a
/// reset. The plans are `WiringState`'s; `NetworkWiring` sends them and holds the bridge namespace.
extension DashboardUpdate {
    /// Wires `shown` to `other` (or unwires them), with the names and addresses the map last read, and asks for a
    /// full reading so the new link shows at once.
    func wire(_ shown: WireParty, _ other: WireParty, model: inout DashboardModel) {
        if !model.isRoot {
            let owners = (NetworkWiring.owner(of: shown), NetworkWiring.owner(of: other))
            if let refusal = WiringRefusal.privilege(isRoot: false, owners: owners, own: NetworkWiring.ownUserNamespace) {
                model.show(refusal.description, isError: true)
                return
            }
        }
        var names: [UInt64: Set<String>] = [:]
        var addresses: [String] = []
        for id in [shown.namespace, other.namespace] {
            let interfaces = model.network.map?.namespace(id)?.interfaces ?? []
            names[id] = Set(interfaces.map(\.name))
            addresses += interfaces.flatMap { ($0.addresses ?? []).map(\.text) }
        }
        let used = WireAddressing.subnets(in: addresses)
        switch model.network.wiring.toggle(shown, other, names: names, usedSubnets: used) {
        case .failure(let refusal):
            model.show(refusal.description, isError: true)
        case .success(let plan):
            switch wiring.apply(plan, to: &model.network.wiring) {
            case .success(let message): model.show(message.prefix(1).uppercased() + message.dropFirst())
            case .failure(let failure): model.show("Wiring failed: " + failure.explained(isRoot: model.isRoot), isError: true)
            }
        }
        noteBridge(&model)
        model.network.readsSinceFull = NetworkMapState.fullEvery
        refresh(&model)
    }

    /// The links of children that ended or whose tabs closed: their namespaces (and the ends inside) go with
    /// them; what is left of each link is deleted, and the bridge namespace closed when no bridge needs it.
    func settleWiring(_ model: inout DashboardModel) {
        guard !model.network.wiring.links.isEmpty else { return }
        let live = Set(model.tabs.filter { !$0.closed && $0.exit == nil }.map(\.pid))
        let gone = Set(
            model.network.wiring.links.flatMap(\.ends).filter { !live.contains($0.party.pid) }.map(\.party.namespace))
        guard !gone.isEmpty else { return }
        _ = wiring.apply(model.network.wiring.removing(namespaces: gone), to: &model.network.wiring)
        noteBridge(&model)
    }

    /// Undoes every link (a reset, before the children die): each end deleted in its namespace, the bridge
    /// namespace closed.
    func undoAllWiring(_ model: inout DashboardModel) {
        if !model.network.wiring.links.isEmpty {
            _ = wiring.apply(model.network.wiring.undoingAll(), to: &model.network.wiring)
        }
        wiring.closeBridge()
        noteBridge(&model)
    }

    /// Keeps the model's bridge namespace id in step with the fd that holds it.
    private func noteBridge(_ model: inout DashboardModel) {
        model.network.bridgeNamespace = wiring.bridge.flatMap(SystemCall.inode(of:))
    }
}
