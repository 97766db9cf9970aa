import Foundation
import TestSupport

/// A tiny C program, compiled once per test run with gcc, that runs a command under a seccomp filter refusing
/// namespaces as Docker's default profile does for a container without CAP_SYS_ADMIN.
enum SeccompFilter {
    /// How much of unshare the filter refuses.
    enum Mode: String {
        /// unshare always (unshare(0) too), as Docker's profile does.
        case all
        /// unshare only with a CLONE_NEW* flag, so `unshare(0)` passes: the doctor must infer the filter.
        case flags
    }

    /// The compiled helper: `filter all|flags COMMAND...`.
    static let path: String = {
        let directory = "/tmp/nslab-test-seccomp-\(getpid())"
        mkdir(directory, 0o755)
        let source = directory + "/filter.c"
        let binary = directory + "/filter"
        FileManager.default.createFile(atPath: source, contents: Data(program.utf8))
        let result = try? Spawn.run("/usr/bin/gcc", ["-O", "-Wall", "-Werror", "-o", binary, source])
        precondition(result?.status == 0, "gcc failed: \(result?.stderr ?? "not run")")
        return binary
    }()

    /// The argv prefix that runs what follows under the filter.
    static func prefix(_ mode: Mode) -> [String] { [path, mode.rawValue] }

    /// The helper's source: raw BPF through prctl(PR_SET_SECCOMP), no libseccomp.
    static let program = """
        #include <errno.h>
        #include <linux/audit.h>
        #include <linux/filter.h>
        #include <linux/seccomp.h>
        #include <stddef.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/prctl.h>
        #include <sys/syscall.h>
        #include <unistd.h>

        /* CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET and NEWTIME */
        #define NS_FLAGS 0x7E020080u
        #define DENY(e) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (e))
        #define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

        int main(int argc, char **argv) {
            if (argc < 3) return 2;
            int flags_only = strcmp(argv[1], "flags") == 0;
            struct sock_filter filter[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
                ALLOW,
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setns, 0, 1),
                DENY(EPERM),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
                DENY(ENOSYS), /* the C library then falls back to clone, as under Docker */
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_unshare, 0, 2),
                BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0), /* "flags": patched to jump to the flag check */
                DENY(EPERM),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 1, 0),
                ALLOW,
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
                BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NS_FLAGS, 0, 1),
                DENY(EPERM),
                ALLOW,
            };
            if (flags_only) filter[9] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 3, 0, 0);
            struct sock_fprog program = {.len = sizeof filter / sizeof filter[0], .filter = filter};
            if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
                perror("prctl(PR_SET_SECCOMP)");
                return 2;
            }
            execvp(argv[2], argv + 2);
            perror("execvp");
            return 127;
        }
        """
}
