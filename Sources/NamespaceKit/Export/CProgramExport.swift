/// A launch written out as a complete C program in the style of the classic `clone()` examples: what
/// nslab's spawn core does, step by step, without nslab. It compiles with `gcc -Wall -Wextra -Werror`.
public enum CProgramExport {
    /// The program's source for `spec`; `flags` is the `nslab run` line it stands for, quoted in its header.
    public static func source(_ spec: LaunchSpec, flags: String) -> String {
        let kinds = spec.kinds
        let time = kinds.contains(.time)
        // With a time namespace the child unshares PID together with time and forks, so the command is still
        // PID 1 of its namespace (as in nslab); otherwise clone() creates every kind at once.
        let cloneKinds = NamespaceKind.allCases.filter { kinds.contains($0) && $0 != .time && !(time && $0 == .pid) }
        let cloneFlags = (cloneKinds.map(\.cloneFlagName) + ["SIGCHLD"]).joined(separator: " | ")
        var out = header(flags: flags)
        out += """
            #define _GNU_SOURCE
            #include <errno.h>
            #include <fcntl.h>
            #include <net/if.h>
            #include <sched.h>
            #include <signal.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <sys/ioctl.h>
            #include <sys/mount.h>
            #include <sys/prctl.h>
            #include <sys/socket.h>
            #include <sys/wait.h>
            #include <unistd.h>

            #ifndef CLONE_NEWTIME
            #define CLONE_NEWTIME 0x00000080 /* Linux 5.6; older headers lack it */
            #endif

            /* The command, as execvp() takes it. */
            static char *command[] = {\(spec.command.map(cString).joined(separator: ", ")), NULL};

            /* The parent writes one byte here once the child's maps are written: the child waits for it. */
            static int go_pipe[2];

            /* The child's stack; clone() is given its top, since stacks grow down on every Linux target. */
            static char child_stack[1024 * 1024] __attribute__((aligned(16)));

            /* Says which step failed and why, and ends the process. */
            static void fail(const char *step) {
                fprintf(stderr, "%s: %s\\n", step, strerror(errno));
                exit(1);
            }

            /* Waits for `pid` and returns its status as a shell reports it: the exit code, or 128 + the signal. */
            static int wait_status(pid_t pid) {
                int status;
                while (waitpid(pid, &status, 0) < 0) {
                    if (errno != EINTR) fail("waitpid");
                }
                return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            }


            """
        // Only what this launch uses, or -Werror stops at an unused function.
        if time || kinds.contains(.user) { out += writeFileFunction }
        out += setupFunction(spec)
        out += childFunction(spec, time: time)
        out += mainFunction(spec, cloneFlags: cloneFlags)
        return out
    }

    static let writeFileFunction = """
        /* Writes `text` to a file that takes one write, such as /proc/PID/uid_map. */
        static void write_file(const char *path, const char *text) {
            int fd = open(path, O_WRONLY | O_CLOEXEC);
            if (fd < 0) fail(path);
            ssize_t length = (ssize_t)strlen(text);
            if (write(fd, text, (size_t)length) != length) fail(path);
            close(fd);
        }


        """

    static func header(flags: String) -> String {
        """
        /*
         * The same launch as `\((["nslab run"] + (flags.isEmpty ? [] : [flags])).joined(separator: " ").replacingOccurrences(of: "*/", with: "* /"))`, as a C program.
         *
         * The parent clone()s a child into the new namespaces, writes the child's uid and gid maps when it has a
         * user namespace of its own, then lets it go on; the child sets itself up and execs the command; the
         * parent waits and exits with the command's status.
         *
         *   gcc -Wall -Wextra -Werror -o launch launch.c && sudo ./launch
         */

        """
    }

    /// The child's set-up after its namespaces exist, in nslab's order: mounts private before /proc, the
    /// hostname only in a new UTS namespace, lo up in a new network namespace.
    static func setupFunction(_ spec: LaunchSpec) -> String {
        var body: [String] = []
        if spec.kinds.contains(.mount) {
            body.append(
                """
                    /* Every mount private first, so nothing mounted here propagates to a host whose / is shared. */
                    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) fail("making mounts private");
                """)
            if spec.mountProc {
                body.append(
                    """
                        /* A proc of the new PID namespace: ps then lists only the child's processes. */
                        if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) fail("mounting /proc");
                    """)
            }
        }
        if spec.kinds.contains(.uts), let hostname = spec.hostname {
            body.append(
                """
                    /* Only in the child's own UTS namespace: the host keeps its name. */
                    if (sethostname(\(cString(hostname)), \(hostname.utf8.count)) != 0) fail("sethostname");
                """)
        }
        if spec.kinds.contains(.net) && spec.loopbackUp {
            body.append(
                """
                    /* A new network namespace has only lo, and it is down. */
                    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                    struct ifreq lo;
                    memset(&lo, 0, sizeof lo);
                    strcpy(lo.ifr_name, "lo");
                    if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &lo) != 0) fail("reading lo's flags");
                    lo.ifr_flags |= IFF_UP;
                    if (ioctl(sock, SIOCSIFFLAGS, &lo) != 0) fail("bringing lo up");
                    close(sock);
                """)
        }
        if body.isEmpty { body.append("    /* Nothing to set up: the new namespaces start as copies of nslab's. */") }
        return "/* Sets the child up inside its namespaces. */\nstatic void set_up(void) {\n"
            + body.joined(separator: "\n")
            + "\n}\n\n"
    }

    static func childFunction(_ spec: LaunchSpec, time: Bool) -> String {
        var out = """
            /* The child: waits for its maps, enters the time namespace if any, sets up, and runs the command. */
            static int child_main(void *arg) {
                (void)arg;
                prctl(PR_SET_PDEATHSIG, SIGKILL); /* it dies with the parent */
                close(go_pipe[1]);
                char go;
                if (read(go_pipe[0], &go, 1) != 1) _exit(1); /* the parent is gone, or failed to write the maps */
                close(go_pipe[0]);

            """
        if time {
            let newPID = spec.kinds.contains(.pid) ? " | CLONE_NEWPID" : ""
            out += """
                    /* A time namespace holds the children of the process that creates it, and only once its offsets are
                     * written: unshare, write the offsets, fork. This process stays behind and passes the status on. */
                    if (unshare(CLONE_NEWTIME\(newPID)) != 0) fail("unshare(CLONE_NEWTIME)");
                    write_file("/proc/self/timens_offsets", \(cString(offsets(spec))));
                    pid_t command_pid = fork();
                    if (command_pid < 0) fail("fork");
                    if (command_pid > 0) return wait_status(command_pid);
                    prctl(PR_SET_PDEATHSIG, SIGKILL);

                """
        }
        out += """
                set_up();
                execvp(command[0], command);
                fprintf(stderr, "%s: %s\\n", command[0], strerror(errno));
                return errno == ENOENT ? 127 : 126;
            }


            """
        return out
    }

    static func mainFunction(_ spec: LaunchSpec, cloneFlags: String) -> String {
        var out = """
            int main(void) {
                if (pipe2(go_pipe, O_CLOEXEC) != 0) fail("pipe2");
                pid_t child = clone(child_main, child_stack + sizeof child_stack, \(cloneFlags), NULL);
                if (child < 0) fail("clone");
                close(go_pipe[0]);

            """
        if spec.kinds.contains(.user) {
            out += """
                    /* uid_map, then setgroups "deny" (an unprivileged gid_map is refused while setgroups is allowed),
                     * then gid_map: the kernel's order. */
                    char path[64], map[4096];
                    snprintf(path, sizeof path, "/proc/%d/uid_map", (int)child);
                \(mapCode(spec.uidMap, own: "getuid()"))
                    write_file(path, map);
                    if (geteuid() != 0) {
                        snprintf(path, sizeof path, "/proc/%d/setgroups", (int)child);
                        write_file(path, "deny");
                    }
                    snprintf(path, sizeof path, "/proc/%d/gid_map", (int)child);
                \(mapCode(spec.gidMap, own: "getgid()"))
                    write_file(path, map);

                """
        }
        out += """
                if (write(go_pipe[1], "g", 1) != 1) fail("letting the child go on");
                close(go_pipe[1]);
                return wait_status(child);
            }

            """
        return out
    }

    /// The code that fills `map`: the given lines, or root inside as the caller's own id outside.
    static func mapCode(_ map: [IDMapEntry]?, own: String) -> String {
        guard let map else { return "    snprintf(map, sizeof map, \"0 %u 1\\n\", (unsigned)\(own));" }
        let text = map.map { "\($0.inside) \($0.outside) \($0.count)\n" }.joined()
        return "    snprintf(map, sizeof map, \"%s\", \(cString(text)));"
    }

    /// The timens_offsets text: whole seconds and nanoseconds per clock.
    static func offsets(_ spec: LaunchSpec) -> String {
        func line(_ name: String, _ seconds: Double?) -> String {
            let value = seconds ?? 0
            let whole = value.rounded(.down)
            return "\(name) \(Int64(whole)) \(Int64(((value - whole) * 1e9).rounded()))\n"
        }
        return line("monotonic", spec.monotonicOffset) + line("boottime", spec.boottimeOffset)
    }

    /// `text` as a C string literal: quotes, backslashes and every byte outside printable ASCII escaped.
    static func cString(_ text: String) -> String {
        var out = "\""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\n"): out += "\\n"
            case 0x20...0x7E where byte != UInt8(ascii: "?"): out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                // Three octal digits always, so a digit that follows cannot extend the escape (and no trigraphs).
                let octal = String(byte, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return out + "\""
    }
}

extension NamespaceKind {
    /// The CLONE_NEW* constant's name in C.
    var cloneFlagName: String {
        switch self {
        case .uts: "CLONE_NEWUTS"
        case .ipc: "CLONE_NEWIPC"
        case .pid: "CLONE_NEWPID"
        case .mount: "CLONE_NEWNS"
        case .net: "CLONE_NEWNET"
        case .user: "CLONE_NEWUSER"
        case .cgroup: "CLONE_NEWCGROUP"
        case .time: "CLONE_NEWTIME"
        }
    }
}
