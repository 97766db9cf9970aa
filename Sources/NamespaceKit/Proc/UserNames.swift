import Glibc

/// Turns uids into login names (via NSS, like `ps`), remembering each answer.
public final class UserNames {
    private var names: [UInt32: String] = [:]

    /// An empty cache.
    public init() {}

    /// The login name for `uid`, or the number when there is none.
    public func name(_ uid: UInt32) -> String {
        if let known = names[uid] { return known }
        var name = String(uid)
        if let entry = getpwuid(uid_t(uid)), let login = entry.pointee.pw_name { name = String(cString: login) }
        names[uid] = name
        return name
    }
}
