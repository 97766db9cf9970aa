import Glibc

/// Turns uids into login names from the password file, remembering each answer.
///
/// Not through NSS (`getpwuid`): nslab is one static binary, and glibc's NSS loads the modules nsswitch.conf names
/// (`systemd`, `sss`, `ldap`) as shared libraries built for the shared glibc, which crashes a static program. Seen:
/// with `passwd: files systemd` (Debian, once systemd's NSS module is installed), every uid missing from the file
/// sent `nslab ps` and the dashboard into libnss_systemd and SIGSEGV. A uid without a line in the file shows as
/// its number, as `ps` shows an unknown one.
public final class UserNames {
    private var names: [UInt32: String] = [:]
    /// The password file's names, read on the first miss and again on a miss a second later (a user added while
    /// the dashboard runs).
    private var file: [UInt32: String] = [:]
    private var fileRead: UInt64?
    private let path: String

    /// An empty cache over `path`.
    public init(passwd path: String = "/etc/passwd") {
        self.path = path
    }

    /// The login name for `uid`, or the number when there is none.
    public func name(_ uid: UInt32) -> String {
        if let known = names[uid] { return known }
        let now = SystemCall.monotonicNanoseconds()
        if fileRead.map({ now &- $0 > 1_000_000_000 }) ?? true {
            file = Self.read(path)
            fileRead = now
        }
        guard let login = file[uid] else { return String(uid) }
        names[uid] = login
        return login
    }

    /// The login name of `uid` in the password file at `path`, nil when it has none.
    public static func passwdName(_ uid: UInt32, path: String = "/etc/passwd") -> String? {
        read(path)[uid]
    }

    /// The file's lines as uid to name; the first line for a uid wins, as getpwuid's files module.
    static func read(_ path: String) -> [UInt32: String] {
        guard case .success(let bytes) = SystemCall.readRegularFile(path, limit: 16 << 20) else { return [:] }
        var result: [UInt32: String] = [:]
        for entry in PasswdEntry.entries(bytes) {
            guard let uid = entry.uid, result[uid] == nil else { continue }
            result[uid] = entry.name
        }
        return result
    }
}

/// One line of a password file (passwd(5)): `name:password:uid:gid:gecos:home:shell`. The one reader of the file
/// for user names and for the users' home directories (rootless container stores).
struct PasswdEntry: Equatable {
    /// The login name.
    var name: String
    /// The uid; nil when the field is missing or not a number.
    var uid: UInt32?
    /// The home directory; nil on a line without all seven fields.
    var home: String?

    /// Every line with a name that is not a comment, in order.
    static func entries(_ bytes: [UInt8]) -> [PasswdEntry] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            let fields = line.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            guard let first = fields.first, !first.isEmpty, first.first != UInt8(ascii: "#") else { return nil }
            func text(_ index: Int) -> String? {
                fields.count > index ? String(decoding: fields[index], as: UTF8.self) : nil
            }
            return PasswdEntry(
                name: String(decoding: first, as: UTF8.self), uid: text(2).flatMap { UInt32($0) },
                home: fields.count >= 7 ? text(5) : nil)
        }
    }
}
