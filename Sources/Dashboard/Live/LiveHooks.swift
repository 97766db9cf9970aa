import Glibc
import NamespaceKit

/// The dashboard wired to the real nslab: the launcher, the children's panes, the validators.
public enum LiveHooks {
    /// Hooks that launch real children into `sessions`.
    public static func make(sessions: ChildSessions) -> DashboardHooks {
        let model = ProcessModel()
        var hooks = DashboardHooks()
        hooks.processes = { model.rows(children: sessions.childPIDs) }
        hooks.maps = { model.maps(of: $0) }
        hooks.unavailable = { ProcessModel.unavailableKinds() }
        hooks.validators = validators
        hooks.launch = { sessions.launch($0) }
        hooks.readable = { fd, _ in sessions.readable(fd) }
        hooks.hangup = { fd, loop in
            loop.unwatch(fd)
            sessions.hangup(fd)
        }
        hooks.reapChildren = { sessions.reap() }
        hooks.forwardToChild = { key in sessions.forward(key).map { [.launch($0)] } ?? [] }
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
