import Glibc
import NamespaceKit
import Synchronization

/// The doctor's verdicts for the Namespaces panel, worked out on a thread of its own while the dashboard draws.
///
/// The probe child tries `unshare()` for each kind, and creating a network namespace waits while the kernel tears
/// down others (a test suite, a container engine stopping): seen to take over 15 s, during which the first frame
/// never came. The update step takes the verdicts at a later refresh instead (`take()`), once they are there.
final class DoctorTask: Sendable {
    private let verdicts = Mutex<[KindVerdict]?>(nil)

    /// Starts `work` on a detached thread; when no thread can be had, runs it here.
    init(_ work: @escaping @Sendable () -> [KindVerdict]) {
        let job = Job(task: self, work: work)
        let context = Unmanaged.passRetained(job).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Job>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context)
        guard started == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            finish(work())
            return
        }
        pthread_detach(thread)
    }

    /// The verdicts once worked out, else nil; each result is handed out once.
    func take() -> [KindVerdict]? {
        verdicts.withLock { verdicts in
            defer { verdicts = nil }
            return verdicts
        }
    }

    fileprivate func finish(_ result: [KindVerdict]) {
        verdicts.withLock { $0 = result }
    }

    /// What the thread runs: the work, then the result into the task.
    private final class Job: @unchecked Sendable {
        let task: DoctorTask
        let work: @Sendable () -> [KindVerdict]

        init(task: DoctorTask, work: @escaping @Sendable () -> [KindVerdict]) {
            self.task = task
            self.work = work
        }

        func run() { task.finish(work()) }
    }
}
