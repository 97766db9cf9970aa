"""What the benchmarks read of a measured process in /proc: its CPU time and its peak resident memory."""
import os


def cpu_seconds(pid):
    """User and system time of `pid` and its reaped children, in seconds."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_kb(pid):
    """The high-water mark of `pid`'s resident memory (VmHWM), in KiB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0
