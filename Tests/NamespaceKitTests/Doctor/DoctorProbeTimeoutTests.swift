import Glibc
import NamespaceKit
import Testing

/// The probe's bound: a probe child that does not answer in time is killed and reaped, and the caller hears
/// ETIMEDOUT (the dashboard then marks nothing rather than waiting on the kernel).
@Suite("Doctor probe timeout")
struct DoctorProbeTimeoutTests {
    @Test("no time at all: ETIMEDOUT (the child killed and reaped), and a second call works as before")
    func timesOut() {
        guard case .failure(let error) = DoctorProbe.run(timeoutMilliseconds: 0) else {
            Issue.record("a probe with no time answered")
            return
        }
        #expect(error == Errno(ETIMEDOUT))
    }

    @Test("the report of a probe that timed out: every kind unknown, the reason kept")
    func reportUnknown() {
        let report = Doctor.examine(countInUse: false, probeTimeoutMilliseconds: 0)
        #expect(report.probeError == Errno(ETIMEDOUT))
        #expect(report.kinds.allSatisfy { $0.availability == .unknown }, "\(report.kinds)")
    }

    @Test("with time to answer it answers as without a bound")
    func answers() {
        guard case .success = DoctorProbe.run(timeoutMilliseconds: 10_000) else {
            Issue.record("the probe did not answer in 10 s")
            return
        }
    }
}
