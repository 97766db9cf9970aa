// The C side of launching a child into new namespaces.
//
// Nothing written in Swift runs in the child between clone() and execve(): the Swift runtime is
// not async-signal-safe, so the whole child path lives in spawn.c and reports any failure as a
// (step, errno) pair over a close-on-exec pipe. See spawn.c for the exact order of the steps.
#ifndef NSLAB_CNAMESPACES_H
#define NSLAB_CNAMESPACES_H

#include <stdint.h>
#include <sys/types.h>

#pragma clang assume_nonnull begin

/// The CLONE_NEW* flags. Swift's Glibc module does not import them, so they are exported here.
extern const int nsl_clone_newuts;
extern const int nsl_clone_newipc;
extern const int nsl_clone_newpid;
extern const int nsl_clone_newns;
extern const int nsl_clone_newnet;
extern const int nsl_clone_newuser;
extern const int nsl_clone_newcgroup;
extern const int nsl_clone_newtime;

/// The step of a launch that failed. Parent-side steps come first, then the child's in order.
typedef enum nsl_step {
    NSL_STEP_NONE = 0,
    NSL_STEP_PIPE,           ///< parent: creating the sync or error pipe
    NSL_STEP_PTY,            ///< parent: allocating the pseudo-terminal
    NSL_STEP_STACK,          ///< parent: allocating the child's stack
    NSL_STEP_CLONE,          ///< parent: clone() itself (EPERM, ENOSPC, EINVAL land here)
    NSL_STEP_UID_MAP,        ///< parent: writing /proc/<child>/uid_map
    NSL_STEP_SETGROUPS,      ///< parent: writing "deny" to /proc/<child>/setgroups
    NSL_STEP_GID_MAP,        ///< parent: writing /proc/<child>/gid_map
    NSL_STEP_SYNC,           ///< child: waiting for the parent (the parent died first)
    NSL_STEP_PDEATHSIG,      ///< child: prctl(PR_SET_PDEATHSIG)
    NSL_STEP_UNSHARE_TIME,   ///< child: unshare(CLONE_NEWTIME [| CLONE_NEWPID])
    NSL_STEP_TIME_OFFSETS,   ///< child: writing /proc/self/timens_offsets
    NSL_STEP_FORK,           ///< child: forking the process that enters the time namespace
    NSL_STEP_SETSID,         ///< child: setsid()
    NSL_STEP_CTTY,           ///< child: making the pty slave the controlling terminal
    NSL_STEP_STDIO,          ///< child: putting the pty slave on fds 0, 1 and 2
    NSL_STEP_MOUNT_PRIVATE,  ///< child: mount("/", MS_REC|MS_PRIVATE)
    NSL_STEP_MOUNT_PROC,     ///< child: mounting a fresh proc on /proc
    NSL_STEP_HOSTNAME,       ///< child: sethostname()
    NSL_STEP_LOOPBACK,       ///< child: bringing lo up
    NSL_STEP_SIGNALS,        ///< child: resetting the signal mask and handlers
    NSL_STEP_CLOSE_FDS,      ///< child: closing every fd above 2
    NSL_STEP_EXEC,           ///< child: execve()
    NSL_STEP_JOIN,           ///< child: setns() into the target's namespaces (through its pidfd)
    NSL_STEP_JOIN_CREDENTIALS,  ///< child: becoming uid and gid 0 of a joined user namespace
    NSL_STEP_JOIN_ROOT,      ///< child: the target's root directory, in a joined mount namespace
    NSL_STEP_UNSHARE_USER,   ///< child: unshare(CLONE_NEWUSER) on top of joined namespaces (run --inside)
    NSL_STEP_MAPPER,         ///< child: the helper that writes the maps of a nested user namespace
    NSL_STEP_UNSHARE,        ///< child: unshare() of the other new kinds on top of joined namespaces
    NSL_STEP_BEFORE_START,   ///< parent: the caller's before_start (nslab run --wire-to wiring the new namespace)
} nsl_step;

/// What to launch. Strings are borrowed for the duration of nsl_spawn().
typedef struct nsl_spawn_spec {
    int clone_flags;            ///< CLONE_NEW* flags except time (which cannot go through clone)
    int new_time;               ///< non-zero: a new time namespace, entered through an extra fork
    int64_t monotonic_sec;      ///< offsets written to timens_offsets when new_time is set
    int64_t monotonic_nsec;
    int64_t boottime_sec;
    int64_t boottime_nsec;
    const char *_Nullable hostname;   ///< set only when clone_flags has CLONE_NEWUTS
    const char *_Nullable uid_map;    ///< the whole uid_map text, written by the parent
    const char *_Nullable gid_map;    ///< the whole gid_map text, written by the parent
    int deny_setgroups;         ///< write "deny" to setgroups before gid_map
    int mount_proc;             ///< mount a fresh /proc (needs CLONE_NEWNS)
    int loopback_up;            ///< bring lo up (only with CLONE_NEWNET)
    int use_pty;                ///< attach the child to a new pty instead of inheriting stdio
    unsigned short rows;        ///< pty window size, set before exec
    unsigned short cols;
    int join_pidfd;             ///< a pidfd of the process whose namespaces are joined, or -1
    int join_flags;             ///< the CLONE_NEW* kinds to join with setns(), before anything else; when
                                ///< set, the kinds of clone_flags and new_time are created after the join
                                ///< by unshare(), on top of the joined ones (nslab run --inside), and a
                                ///< new user namespace gets its maps (relative to the joined one, default
                                ///< root inside to the child's uid and gid there) from a helper process
    int join_root_fd;           ///< with a joined mount namespace: the target's root, or -1
    int join_cwd_fd;            ///< and its working directory, or -1
    const char *path;           ///< the executable, found where it runs: inside the joined root, if any
    char *_Nullable const *_Nonnull argv;
    char *_Nullable const *_Nonnull envp;
    /// Called in the parent once the child's namespaces exist (and its maps are written), before the child may go
    /// on: `nslab run --wire-to` wires the new network namespace here, so the command never runs without its link.
    /// Returns 0, or an errno that fails the launch (NSL_STEP_BEFORE_START; the child is killed and reaped).
    int (*_Nullable before_start)(void *_Nullable context, pid_t pid);
    void *_Nullable before_start_context;
} nsl_spawn_spec;

/// What a launch produced, or where it failed.
typedef struct nsl_spawn_result {
    pid_t pid;          ///< the direct child, the one to wait for (the time-namespace keeper when new_time)
    pid_t command_pid;  ///< the process that runs the command (== pid unless new_time)
    int pidfd;          ///< a pidfd for `pid`, close-on-exec
    int pty_master;     ///< the pty master, close-on-exec, or -1
    int failed_step;    ///< an nsl_step, NSL_STEP_NONE on success
    int error;          ///< the errno of the failed step
} nsl_spawn_result;

/// Launches a child as `spec` describes. Returns 0 on success; -1 with `result->failed_step` and
/// `result->error` set on failure, in which case the child (if any) has been reaped.
/// Must be called from a thread that lives as long as the child should: PR_SET_PDEATHSIG fires
/// when the creating thread exits.
int nsl_spawn(const nsl_spawn_spec *spec, nsl_spawn_result *result);

/// Opens a pidfd (close-on-exec) for `pid`, as pidfd_open(2); -1 with errno set when it is gone.
int nsl_pidfd_open(pid_t pid);

/// Sends `signal` through a pidfd: unlike kill(), it cannot hit a recycled pid.
int nsl_pidfd_send_signal(int pidfd, int signal);

/// openat2(2), which glibc 2.36 does not wrap: opens `path` relative to `dirfd` with open flags `flags`
/// (close-on-exec added) and the RESOLVE_* flags `resolve`. The fd, or -1 with errno set (EAGAIN: a rename raced
/// a RESOLVE_IN_ROOT look-up, try again; ENOSYS before Linux 5.6).
int nsl_openat2(int dirfd, const char *path, uint64_t flags, uint64_t resolve);

/// RESOLVE_IN_ROOT: `dirfd` is the root of the look-up, for absolute paths, absolute symbolic links and "..".
extern const uint64_t nsl_resolve_in_root;
/// RESOLVE_NO_MAGICLINKS: no /proc/PID/fd-style links, which would lead out of any root.
extern const uint64_t nsl_resolve_no_magiclinks;

/// Whether the process runs with elevated privileges it did not start with (setuid/setgid or
/// AT_SECURE): nslab refuses to run then.
int nsl_is_setuid(void);

/* Lowers the calling thread's scheduling priority alone (Linux keeps a nice value per thread) by `increment`;
 * returns 0, or -1 with errno set. */
int nsl_nice_this_thread(int increment);

#pragma clang assume_nonnull end

#endif
