import Glibc
import NamespaceKit

/// The dashboard wired to the real nslab: the launcher, the children's panes, the validators.
public enum LiveHooks {
    /// Hooks that launch real children into `sessions`.
    public static func make(sessions: ChildSessions) -> DashboardHooks {
        let model = ProcessModel()
        let comparison = ComparisonController(
            compare: { model.compareWithHost($0) },
            maps: { pid in
                let command = model.snapshot?.process(pid)?.comm ?? "?"
                return model.maps(of: pid) + ComparisonMaps.insideViews(of: pid, command: command)
            })
        var hooks = DashboardHooks()
        hooks.processes = {
            model.alsoWatched = comparison.targetPID.map { [$0] } ?? []
            let rows = model.rows(children: sessions.childPIDs)
            comparison.refresh()
            return rows
        }
        // The dashboard asks for the maps of the selected pid at each refresh and when the selection
        // moves; a new pid means the selection moved, which points the comparison at that process.
        // The start-up selection does not: until a launch or a move, nothing is compared and no helper
        // is forked. Once something is compared, the maps shown are those of the compared process.
        var selected: Int32?
        hooks.maps = { pid in
            if let previous = selected, pid != previous {
                // Selecting a launched child again brings back its pane's exit status once it ends.
                let session = sessions.sessions.last { $0.child.pid == pid }
                comparison.point(at: session.map { .child($0) } ?? .process(pid))
            }
            selected = pid
            return comparison.target == nil ? model.maps(of: pid) : comparison.maps
        }
        hooks.unavailable = { ProcessModel.unavailableKinds() }
        hooks.validators = validators
        hooks.launch = { request in
            let outcome = sessions.launch(request)
            if case .started = outcome, let session = sessions.focused { comparison.point(at: .child(session)) }
            return outcome
        }
        hooks.readable = { fd, loop in
            comparison.loop = loop  // held weakly, for the one-shot timer after keys
            sessions.readable(fd)
        }
        hooks.hangup = { fd, loop in
            loop.unwatch(fd)
            sessions.hangup(fd)
        }
        hooks.reapChildren = { sessions.reap() }
        hooks.forwardToChild = { key in
            comparison.keysSent()
            var actions: [DashboardAction] = sessions.forward(key).map { [.launch($0)] } ?? []
            // F8 closed the last tab: without this the keyboard would stay on an empty pane.
            if sessions.tabs.isEmpty { actions.append(.childPanesClosed) }
            return actions
        }
        hooks.comparison = { rect, focused, buffer, theme in
            comparison.render(in: rect, focused: focused, buffer: &buffer, theme: theme)
        }
        hooks.comparisonKey = { comparison.handle($0) }
        hooks.shutdown = { sessions.shutdown() }
        hooks.childPane = { rect, focused, buffer, theme in
            sessions.render(in: rect, focused: focused, buffer: &buffer, theme: theme)
        }
        hooks.childCursor = { sessions.cursor() }
        return hooks
    }

    /// The same rules as `nslab run`, phrased for the edit dialogs.
    public static let validators = DashboardValidators(
        hostname: { name in
            do {
                try LaunchSpec.validateHostname(name)
                return nil
            } catch {
                return "\(error)"
            }
        },
        idMap: { text in
            do {
                let entry = try IDMapEntry(parsing: text)
                try IDMap.validate([entry], kind: .uid, privileged: true, ownID: 0)
                return nil
            } catch {
                return "\(error)"
            }
        },
        offset: { text in
            guard let value = Int64(text) else { return "an offset is whole seconds, e.g. 3600 or -60" }
            return abs(Double(value)) <= LaunchSpec.maxOffset ? nil : "an offset is at most 1000000000 seconds either way"
        }
    )
}
