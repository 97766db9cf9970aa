#ifndef NSLAB_NSL_NSINFO_H
#define NSLAB_NSL_NSINFO_H

/*
 * Namespace introspection for the /proc model.
 *
 * Two jobs live here because Swift cannot do them safely itself:
 *  1. the nsfs ioctls (NS_GET_PARENT, NS_GET_USERNS, NS_GET_OWNER_UID, NS_GET_NSTYPE), whose request
 *     numbers are macros Swift does not import;
 *  2. reading facts that only exist from inside a namespace (hostname, SysV IPC counts, interface
 *     flags, the cgroup path as the target sees it). A helper task that shares nslab's memory (clone
 *     with CLONE_VM | CLONE_VFORK, so its cost does not grow with nslab's size) setns()es into the
 *     target's UTS, IPC, net and cgroup namespaces, writes what it read into *out and exits.
 *     The caller's threads never change namespace, and user and mount namespaces are never entered.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// O_PATH, which Swift's Glibc module hides without _GNU_SOURCE.
extern const int nsl_o_path;

/// Opens the parent of a pid or user namespace; returns a new fd, or -1 with errno set.
int nsl_ns_get_parent(int ns_fd);

/// Opens the user namespace that owns the namespace; returns a new fd, or -1 with errno set.
int nsl_ns_get_userns(int ns_fd);

/// Stores the uid (in the caller's user namespace) that created a user namespace; 0 or -1 with errno.
int nsl_ns_get_owner_uid(int ns_fd, uint32_t *_Nonnull uid);

/// Returns the CLONE_NEW* flag of the namespace, or -1 with errno set.
int nsl_ns_get_nstype(int ns_fd);

/// The most interfaces whose flags one helper call reports.
#define NSL_MAX_INTERFACES 64

/// What the helper child saw inside the target's namespaces; each part has its own errno (0 = read).
struct nsl_ns_facts {
    int uts_errno;
    char hostname[65];
    char domainname[65];

    int ipc_errno;
    int msg_queues;
    int sem_sets;
    int shm_segments;

    int net_errno;
    /// IFF_* flags per requested interface name, or -1 when that interface could not be asked.
    int interface_flags[NSL_MAX_INTERFACES];

    int cgroup_errno;
    int cgroup_length;
    char cgroup[4096];
};

/// Fds (or -1 to skip that part) of the target's namespaces, and the target's pid for its cgroup file.
struct nsl_ns_targets {
    /// The target's user namespace, joined first by an unprivileged reader: it owns the target's
    /// other namespaces, and only inside it may such a reader join them. -1 to skip.
    int user_fd;
    int uts_fd;
    int ipc_fd;
    int net_fd;
    int cgroup_fd;
    pid_t pid;
};

/// Runs a helper task that enters the given namespaces and fills *out.
/// interface_names holds interface_count names of 16 bytes each (IFNAMSIZ, NUL-padded).
/// Returns 0, or -1 with errno set when the helper itself could not run.
int nsl_read_ns_facts(const struct nsl_ns_targets *_Nonnull targets,
                      const char *_Nullable interface_names, int interface_count,
                      struct nsl_ns_facts *_Nonnull out);

#ifdef __cplusplus
}
#endif

#endif
