#ifndef NSLAB_NSL_USERNS_READ_H
#define NSLAB_NSL_USERNS_READ_H

/*
 * Reading files as a member of another user namespace.
 *
 * /proc/<pid>/uid_map and gid_map print their second column relative to the reader's user
 * namespace, so "the maps as the child reads them" can only be read from inside the child's user
 * namespace. A helper task sharing nslab's memory (clone with CLONE_VM | CLONE_VFORK) setns()es into it
 * (the caller's threads never move) and reads the files into *out. Mount namespaces are not entered: paths resolve in the
 * caller's /proc.
 */

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The most files one helper call reads.
#define NSL_USERNS_MAX_FILES 4
/// The most bytes kept per file (a map has at most 340 lines; real ones have a few).
#define NSL_USERNS_FILE_BYTES 2048

/// What the helper read; errno values are 0 on success.
struct nsl_userns_reads {
    /// errno of setns() into the user namespace (then no file was read).
    int setns_errno;
    /// errno of opening or reading each file.
    int file_errno[NSL_USERNS_MAX_FILES];
    /// Bytes read per file.
    int length[NSL_USERNS_MAX_FILES];
    /// The files' contents (not NUL-terminated).
    char data[NSL_USERNS_MAX_FILES][NSL_USERNS_FILE_BYTES];
};

/// Runs a helper task that joins the user namespace behind userns_fd and reads up to
/// NSL_USERNS_MAX_FILES paths into *out. Returns 0, or -1 with errno set when the helper could not run.
int nsl_read_in_userns(int userns_fd, const char *_Nonnull const *_Nonnull paths, int count,
                       struct nsl_userns_reads *_Nonnull out);

#ifdef __cplusplus
}
#endif

#endif
