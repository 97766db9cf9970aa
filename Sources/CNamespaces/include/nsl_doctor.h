#ifndef NSLAB_NSL_DOCTOR_H
#define NSLAB_NSL_DOCTOR_H

/*
 * The doctor's probe: can this process create each kind of namespace, here and now?
 *
 * Two throwaway children (forked, single-threaded, only system calls until _exit) try, one after the other:
 *   the first
 *   1. unshare(0): it changes nothing, so it fails only when a seccomp filter refuses unshare itself;
 *   2. unshare(flag) for each kind but user, in the caller's own user namespace, then unshare(CLONE_NEWUSER);
 *   the second (a process that made a PID or time namespace cannot make a second: EINVAL)
 *   3. unshare(CLONE_NEWUSER), then writes its own one-line maps (setgroups "deny", gid_map, uid_map);
 *   4. unshare(flag) for each kind but user, now inside that new user namespace;
 *   5. unshare(CLONE_NEWUSER) with maps, again and again, counting how many more levels of user namespace
 *      the kernel allows (it stops at its depth limit, or at the first other refusal).
 * Every result is an errno (0 for success), sent back over a close-on-exec pipe as one struct; the parent
 * reaps each child before it goes on. The namespaces die with the children.
 */

#ifdef __cplusplus
extern "C" {
#endif

/// The most kinds one probe tries (the eight of nslab).
#define NSL_DOCTOR_KINDS 8
/// How many nested user namespaces the probe tries at most: one more than the kernel's limit of 32.
#define NSL_DOCTOR_MAX_LEVELS 34

/// What the probe child found; every errno is 0 for success.
struct nsl_doctor_probe {
    /// unshare(0): fails only under a seccomp filter.
    int filter_errno;
    /// unshare(flags[i]) in the caller's user namespace (the user kind's slot holds step 3's result).
    int direct_errno[NSL_DOCTOR_KINDS];
    /// unshare(flags[i]) inside the new user namespace of step 3 (the user kind's slot: one more nested level);
    /// the errno of step 3 for all when it failed.
    int nested_errno[NSL_DOCTOR_KINDS];
    /// The first map write that failed after step 3 (then nested user namespaces cannot be tried), else 0.
    int map_errno;
    /// How many nested user namespaces step 5 created beyond the first, and the errno that stopped it.
    int more_levels;
    int levels_errno;
};

/// Runs the probe for the CLONE_NEW* flags in flags[0..<count] (count at most NSL_DOCTOR_KINDS; the user flag
/// among them marks its slot). uid_map_line and gid_map_line map root inside to the caller's euid and egid
/// ("0 1000 1\n"); the parent formats them because the child must not call snprintf. Each of the two children
/// gets timeout_ms to answer (-1: as long as it takes); one that does not is killed and reaped, and the call fails
/// with ETIMEDOUT (creating a network namespace waits while the kernel tears others down). Returns 0, or -1 with
/// errno set when a child could not be started, did not answer in time, or its answer was lost.
int nsl_run_doctor_probe(const int *_Nonnull flags, int count, const char *_Nonnull uid_map_line,
                         const char *_Nonnull gid_map_line, int timeout_ms, struct nsl_doctor_probe *_Nonnull out);

/// Opens a pseudo-terminal master (posix_openpt, which Swift's Glibc module hides) and closes it again: 0 when one
/// could be had, else the errno (ENOSPC at kernel.pty.max or a devpts max=, ENOENT without /dev/ptmx).
int nsl_doctor_try_pty(void);

#ifdef __cplusplus
}
#endif

#endif
