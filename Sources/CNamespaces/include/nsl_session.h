/*
 * Killing everything in a child's session.
 *
 * A dashboard child is a session leader on its own pty (spawn.c, step c). Killing the shell alone leaves
 * its background jobs alive (`sleep 7777 &` outlives quit when there is no PID namespace to take it down),
 * so quit, closing a tab and a crash kill every process whose session id (field 6 of /proc/<pid>/stat, as
 * nslab's PID namespace numbers it) is the child's. A process that called setsid() itself has left the
 * session and is not found this way.
 *
 * Everything here is async-signal-safe (open, getdents64, read, kill; no malloc, no stdio), so the crash
 * handler can call nsl_kill_registered_sessions() too.
 */
#ifndef NSLAB_SESSION_H
#define NSLAB_SESSION_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The most sessions remembered for the crash handler (the dashboard has at most 16 tabs).
#define NSL_MAX_SESSIONS 64

/// SIGKILLs every live process in session `sid` found under `proc_root` (normally "/proc"), over and over
/// until a pass finds no live one it had not signalled yet (a process forked while the scan ran is caught by the
/// next pass), at most 32 passes. A zombie counts as dead. Returns the number of processes signalled, or -1 with errno set
/// when `proc_root` cannot be read.
int nsl_kill_session(const char *_Nonnull proc_root, pid_t sid);

/// Remembers `sid` for nsl_kill_registered_sessions(); 0, or -1 when every slot is taken.
int nsl_register_session(pid_t sid);

/// Forgets `sid` (its processes were killed and its leader reaped).
void nsl_unregister_session(pid_t sid);

/// Kills every remembered session, for the crash handler: async-signal-safe.
void nsl_kill_registered_sessions(void);

#ifdef __cplusplus
}
#endif

#endif
