import CNamespaces
import Glibc
import NamespaceKit

/// A command that reads bytes other processes control: a child's terminal output through libvterm (the
/// dashboard, lessons) or their /proc files (ps, ls, inspect). It runs in the randomised build.
protocol RunsRandomised {}

extension DashboardCommand: RunsRandomised {}
extension LessonCommand: RunsRandomised {}
extension PsCommand: RunsRandomised {}
extension LsCommand: RunsRandomised {}
extension InspectCommand: RunsRandomised {}

/// Which of nslab's two builds runs a command.
///
/// scripts/build-release.sh links the same code twice: `nslab`, a static executable at a fixed address, and
/// `nslab-aslr`, static-pie, whose image the kernel places at a random address at each start. Position
/// independence has a price at every start: glibc relocates about 43,000 pointers (mostly Swift metadata) on
/// 134 pages, and each of those pages is copied on write, which on the reference machine costs 0.6 ms, more than
/// `nslab run` can spend and stay as fast as `unshare --fork` (benchmarks/run-bench.sh shows both builds). So the
/// fixed build launches (`run`, `enter`, `export`, help, version: nothing there parses another process's bytes),
/// and hands every `RunsRandomised` command to its twin before doing anything, by execv with the same arguments.
enum Randomised {
    /// The twin's file name, beside the fixed build (`.build/install`) or in `../libexec` (the Debian package's
    /// /usr/libexec, from where `../share` is /usr/share for themes and lessons, as it is from /usr/bin).
    static let twinName = "nslab-aslr"

    /// Replaces this process with the randomised twin when this image is the fixed one and the twin is there;
    /// returns otherwise (a build that is already position independent, as debug builds are, or no twin), and
    /// the command runs here.
    static func handOver() {
        guard nsl_image_is_fixed() != 0, let twin = twinPath() else { return }
        execv(twin, CommandLine.unsafeArgv)
        let reason = Errno.current
        SystemCall.writeAll(
            .standardError,
            "nslab: note: running without address randomisation: \(twin.quoted) did not start: \(reason)\n")
    }

    /// The twin of the running binary: `DIR/nslab-aslr` beside it, or `DIR/../libexec/nslab-aslr` for
    /// `/usr/bin/nslab` from the Debian package.
    static func twinPath() -> String? {
        guard let exe = SystemCall.executablePath(), let slash = exe.lastIndex(of: "/") else { return nil }
        let directory = String(exe[..<slash])
        let candidates = [directory + "/" + twinName, directory + "/../libexec/" + twinName]
        return candidates.first { SystemCall.isAccessible($0, X_OK) }
    }
}
