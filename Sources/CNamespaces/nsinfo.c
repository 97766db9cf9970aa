/*
 * Namespace introspection: nsfs ioctls and the fact-reading helper child (see nsl_nsinfo.h).
 *
 * The helper is a clone(CLONE_VM | CLONE_VFORK) task (helper_pipe.h): it shares nslab's memory, so
 * starting it costs the same whatever nslab's size, and writes what it saw straight into the caller's
 * struct. Until it _exit()s it only makes system calls (setns, uname, msgctl/semctl/shmctl,
 * socket/ioctl, open/read), with every signal blocked. It is a thread group of its own with its own
 * fs, so setns() into UTS, IPC, net, cgroup and user namespaces is allowed, and it never moves the
 * parent's namespaces.
 */
#include "helper_pipe.h"
#include "nsl_nsinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/nsfs.h>

/* Older kernel headers lack some nsfs requests; the numbers are ABI and fixed since Linux 4.11. */
#ifndef NSIO
#define NSIO 0xb7
#endif
#ifndef NS_GET_USERNS
#define NS_GET_USERNS _IO(NSIO, 0x1)
#endif
#ifndef NS_GET_PARENT
#define NS_GET_PARENT _IO(NSIO, 0x2)
#endif
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE _IO(NSIO, 0x3)
#endif
#ifndef NS_GET_OWNER_UID
#define NS_GET_OWNER_UID _IO(NSIO, 0x4)
#endif
/* glibc only defines CLONE_NEWCGROUP with new enough headers. */
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

const int nsl_o_path = O_PATH;

int nsl_ns_get_parent(int ns_fd) { return ioctl(ns_fd, NS_GET_PARENT); }

int nsl_ns_get_userns(int ns_fd) { return ioctl(ns_fd, NS_GET_USERNS); }

int nsl_ns_get_owner_uid(int ns_fd, uint32_t *uid) {
    uid_t owner = 0;
    if (ioctl(ns_fd, NS_GET_OWNER_UID, &owner) != 0) return -1;
    *uid = (uint32_t)owner;
    return 0;
}

int nsl_ns_get_nstype(int ns_fd) { return ioctl(ns_fd, NS_GET_NSTYPE); }

/* Joins the namespace behind fd unless the helper is already in it: setns needs CAP_SYS_ADMIN even
 * for one's own namespace, and an unprivileged nslab can still read its own hostname. */
static int enter(int fd, int type, const char *own_link) {
    struct stat target, own;
    if (fstat(fd, &target) == 0 && stat(own_link, &own) == 0 && target.st_ino == own.st_ino &&
        target.st_dev == own.st_dev)
        return 0;
    return setns(fd, type);
}

static void read_uts(int fd, struct nsl_ns_facts *out) {
    struct utsname name;
    if (enter(fd, CLONE_NEWUTS, "/proc/self/ns/uts") != 0 || uname(&name) != 0) {
        out->uts_errno = errno;
        return;
    }
    strncpy(out->hostname, name.nodename, sizeof out->hostname - 1);
    strncpy(out->domainname, name.domainname, sizeof out->domainname - 1);
}

static void read_ipc(int fd, struct nsl_ns_facts *out) {
    if (enter(fd, CLONE_NEWIPC, "/proc/self/ns/ipc") != 0) {
        out->ipc_errno = errno;
        return;
    }
    /* The *_INFO commands report the namespace's in-use counts without listing every object. */
    struct msginfo msg;
    struct seminfo sem;
    struct shm_info shm;
    if (msgctl(0, MSG_INFO, (struct msqid_ds *)&msg) < 0 ||
        semctl(0, 0, SEM_INFO, &sem) < 0 ||
        shmctl(0, SHM_INFO, (struct shmid_ds *)&shm) < 0) {
        out->ipc_errno = errno;
        return;
    }
    out->msg_queues = msg.msgpool;
    out->sem_sets = sem.semusz;
    out->shm_segments = (int)shm.used_ids;
}

static void read_net(int fd, const char *names, int count, struct nsl_ns_facts *out) {
    if (enter(fd, CLONE_NEWNET, "/proc/self/ns/net") != 0) {
        out->net_errno = errno;
        return;
    }
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) {
        out->net_errno = errno;
        return;
    }
    for (int i = 0; i < count && i < NSL_MAX_INTERFACES; i++) {
        struct ifreq request;
        memset(&request, 0, sizeof request);
        memcpy(request.ifr_name, names + i * IFNAMSIZ, IFNAMSIZ - 1);
        out->interface_flags[i] = ioctl(sock, SIOCGIFFLAGS, &request) == 0 ? (unsigned short)request.ifr_flags : -1;
    }
    close(sock);
}

static void read_cgroup(int fd, pid_t pid, struct nsl_ns_facts *out) {
    if (enter(fd, CLONE_NEWCGROUP, "/proc/self/ns/cgroup") != 0) {
        out->cgroup_errno = errno;
        return;
    }
    /* /proc/<pid>/cgroup prints paths relative to the reader's cgroup namespace root. */
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
    int file = open(path, O_RDONLY | O_CLOEXEC);
    if (file < 0) {
        out->cgroup_errno = errno;
        return;
    }
    int total = 0;
    for (;;) {
        ssize_t got = read(file, out->cgroup + total, sizeof out->cgroup - 1 - (size_t)total);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            out->cgroup_errno = errno;
            break;
        }
        if (got == 0) break;
        total += (int)got;
        if ((size_t)total >= sizeof out->cgroup - 1) break;
    }
    out->cgroup_length = total;
    close(file);
}

/* What the helper is given: where to look, and where to write what it saw (the caller's memory). */
struct facts_job {
    const struct nsl_ns_targets *targets;
    const char *interface_names;
    int interface_count;
    struct nsl_ns_facts *out;
};

static int facts_helper(void *argument) {
    struct facts_job *job = argument;
    const struct nsl_ns_targets *targets = job->targets;
    struct nsl_ns_facts *out = job->out;
    out->uts_errno = out->ipc_errno = out->net_errno = out->cgroup_errno = ENOENT;
    /* Root may join any namespace from where it is; an ordinary user first becomes root of the
     * target's user namespace (its owner has every capability there). Failing that, each
     * setns below reports its own errno. */
    if (targets->user_fd >= 0 && geteuid() != 0) (void)enter(targets->user_fd, CLONE_NEWUSER, "/proc/self/ns/user");
    if (targets->uts_fd >= 0) { out->uts_errno = 0; read_uts(targets->uts_fd, out); }
    if (targets->ipc_fd >= 0) { out->ipc_errno = 0; read_ipc(targets->ipc_fd, out); }
    if (targets->net_fd >= 0 && job->interface_names != NULL) {
        out->net_errno = 0;
        read_net(targets->net_fd, job->interface_names, job->interface_count, out);
    }
    if (targets->cgroup_fd >= 0) { out->cgroup_errno = 0; read_cgroup(targets->cgroup_fd, targets->pid, out); }
    return 0;
}

int nsl_read_ns_facts(const struct nsl_ns_targets *targets, const char *interface_names, int interface_count,
                      struct nsl_ns_facts *out) {
    memset(out, 0, sizeof *out);
    struct facts_job job = {targets, interface_names, interface_count, out};
    if (nsl_helper_run(facts_helper, &job) != 0) {
        int saved = errno;
        memset(out, 0, sizeof *out);
        errno = saved;
        return -1;
    }
    return 0;
}
