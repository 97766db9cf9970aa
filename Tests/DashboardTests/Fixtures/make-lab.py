#!/usr/bin/env python3
"""Writes the `lab` fixture /proc tree the dashboard's whole-screen tests scan.

The story: root ran `nslab` (pid 2001) from a login shell and launched a bash (pid 2002) in new UTS, PID,
mount, net, user and time namespaces, with the uid/gid map `0 100000 65536` and a boottime offset of a day;
the bash runs `sleep 100`. Beside it runs a container (nginx under containerd) in all-new namespaces. PID 1's
namespace links are unreadable, as on machines where even root cannot read them: the dashboard must show `?`.
Run it from this folder to regenerate `lab/`; the tree is committed, so tests need no Python.
"""
import os
import shutil

HOST = dict(uts=4026531838, ipc=4026531839, pid=4026531836, mnt=4026531832, net=4026531833,
            user=4026531837, cgroup=4026531835, time=4026531834)
CHILD = dict(HOST, uts=4026532201, pid=4026532202, mnt=4026532200, net=4026532203, user=4026532204,
             time=4026532205)
BOX = dict(uts=4026532301, ipc=4026532302, pid=4026532303, mnt=4026532300, net=4026532304,
           user=4026532305, cgroup=4026532306, time=4026531834)
IDENTITY = "         0          0 4294967295\n"
SHIFTED = "         0     100000      65536\n"

# pid: (ppid, comm, cmdline, uid, namespaces or None for unreadable links, nspid, cgroup, start time)
PROCESSES = {
    1: (0, "systemd", ["/sbin/init"], 0, None, [1], "/init.scope", 1),
    2: (0, "kthreadd", [], 0, HOST, [2], "/", 2),
    412: (1, "sshd", ["/usr/sbin/sshd", "-D"], 0, HOST, [412], "/system.slice/ssh.service", 500),
    1337: (412, "bash", ["-bash"], 0, HOST, [1337], "/user.slice", 900),
    2001: (1337, "nslab", ["nslab", "--ns", "uts,pid,mount,net,user,time"], 0, HOST, [2001], "/user.slice", 1000),
    2002: (2001, "bash", ["/bin/bash"], 0, CHILD, [2002, 1], "/user.slice", 1100),
    2010: (2002, "sleep", ["sleep", "100"], 0, CHILD, [2010, 7], "/user.slice", 1200),
    600: (1, "containerd", ["/usr/bin/containerd"], 0, HOST, [600], "/system.slice/containerd.service", 600),
    3100: (600, "nginx", ["nginx: master process"], 100000, BOX, [3100, 1], "/box", 700),
}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def process(root, pid, spec):
    ppid, comm, cmdline, uid, namespaces, nspid, cgroup, start = spec
    base = os.path.join(root, str(pid))
    write(f"{base}/stat", f"{pid} ({comm}) S {ppid} {pid} {pid} 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
                          f"{start} 1000000 100 18446744073709551615 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n")
    ids = " ".join([str(uid)] * 4)
    write(f"{base}/status", f"Name:\t{comm}\nState:\tS (sleeping)\nPid:\t{pid}\nPPid:\t{ppid}\n"
                            f"Uid:\t{ids}\nGid:\t{ids}\nNSpid:\t" + "\t".join(map(str, nspid)) + "\n")
    write(f"{base}/cmdline", "".join(arg + "\0" for arg in cmdline))
    write(f"{base}/cgroup", f"0::{cgroup}\n")
    os.makedirs(f"{base}/ns", exist_ok=True)
    if namespaces is None:
        # A directory where each link should be: readlink fails with EINVAL, the id is unknown.
        for kind in HOST:
            os.makedirs(f"{base}/ns/{kind}", exist_ok=True)
            write(f"{base}/ns/{kind}/.keep", "")
    else:
        for kind, inode in namespaces.items():
            os.symlink(f"{kind}:[{inode}]", f"{base}/ns/{kind}")
        os.symlink(f"pid:[{namespaces['pid']}]", f"{base}/ns/pid_for_children")
        os.symlink(f"time:[{namespaces['time']}]", f"{base}/ns/time_for_children")
    own = namespaces is not None and namespaces["user"] != HOST["user"]
    write(f"{base}/uid_map", SHIFTED if own else IDENTITY)
    write(f"{base}/gid_map", SHIFTED if own else IDENTITY)
    write(f"{base}/setgroups", "allow\n")
    boot = 86400 if namespaces is CHILD else 0
    write(f"{base}/timens_offsets", f"monotonic           0         0\nboottime        {boot}         0\n")
    mounts = "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
    mounts += "23 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:2 - proc proc rw\n"
    if namespaces is CHILD:
        mounts += "31 22 0:40 / /tmp rw,relatime - tmpfs tmpfs rw\n"
    write(f"{base}/mountinfo", mounts)
    # Through the process's root, /proc/<its own pid> is the process itself when it sees a /proc of its own pid
    # namespace: the same start time and name.
    if namespaces is not None:
        write(f"{base}/root/proc/{nspid[-1]}/stat", f"{nspid[-1]} ({comm}) S 0 1 1 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
                                                 f"{start} 1000000 100 18446744073709551615 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n")
    lo = "    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0\n"
    eth = "  eth0: 10217452     255    0    0    0     0          0         0    16797     196    0    0    0     0       0          0\n"
    header = ("Inter-|   Receive                                                |  Transmit\n"
              " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n")
    alone = namespaces is CHILD or namespaces is BOX
    write(f"{base}/net/dev", header + lo + ("" if alone else eth))
    write(f"{base}/net/igmp", "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n1\tlo        :     1      V3\n\t\t\t\t010000E0     1 0:00000000\t\t0\n"
          + ("" if alone else "2\teth0      :     1      V3\n\t\t\t\t010000E0     1 0:00000000\t\t0\n"))
    write(f"{base}/net/fib_trie", "")
    write(f"{base}/net/route", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n")
    write(f"{base}/net/if_inet6", "")


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lab")
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    write(f"{root}/uptime", "3723.45 7000.00\n")
    for pid, spec in PROCESSES.items():
        process(root, pid, spec)


main()
