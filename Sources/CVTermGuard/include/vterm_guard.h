// The input guard in front of libvterm: every byte from a pane's child goes through nslab_guard_write, which hands
// libvterm what it can parse safely and takes out the shell's prompt marks (OSC 133). vterm_guard.c describes what
// it guards against and its state table.
#ifndef NSLAB_VTERM_GUARD_H
#define NSLAB_VTERM_GUARD_H
#include <stddef.h>

#if !defined(__clang__) && !defined(_Nonnull)
#define _Nonnull // nullability qualifiers are a clang extension (for Swift); gcc builds the fuzz harness
#define _Nullable
#endif

// libvterm's handle, declared here without vterm.h so that this module does not define libvterm's types a second
// time beside the CVTerm module; Swift sees it as OpaquePointer, as it does CVTerm's VTerm.
struct VTerm;

enum {
    /// Longest OSC 133 payload kept (after "133;"): a letter, a status and a few short parameters. A longer one is
    /// swallowed up to its terminator like any OSC libvterm does not know, and reported as nothing.
    NSLAB_MARK_PAYLOAD_MAX = 64,
    /// Longest beginning of "ESC ] 133 ;" held back at the end of a write.
    NSLAB_GUARD_HOLD_MAX = 6,
};

/// A shell prompt mark (OSC 133) the guard took out of the byte stream.
typedef struct {
    /// The byte after "133;": 'A' prompt start, 'B' command start, 'C' output start, 'D' command end, or another
    /// byte for a kind nslab does not know. 0: the write ended without a mark.
    unsigned char kind;
    /// 1 when the mark carried a decimal number after the letter (D;STATUS); 0 otherwise.
    int hasStatus;
    /// That number (clamped to +-999999999), or 0.
    int status;
} nslab_prompt_mark;

/// Parser position the guard carries from one write to the next. Zero-initialised means "in text"; the fields are
/// the guard's own (vterm_guard.c), callers only allocate it.
typedef struct {
    /// Row of the state table (vterm_guard.c).
    unsigned char state;
    /// CSI separators and digits of the current argument seen so far (point 1).
    unsigned char separators;
    unsigned char digits;
    /// The CSI being read has a private leader such as '?' (point 4).
    unsigned char csiLeader;
    /// The last printed character is one REP may repeat safely (point 3).
    unsigned char lastGlyphRepeatable;
    /// An unfinished UTF-8 sequence that ended the previous write, held back until the next write finishes it
    /// (points 2 and 7); heldCount bytes of held are in use.
    unsigned char held[6];
    unsigned char heldCount;
    /// A beginning of "ESC ] 133 ;" (at least the ESC) that ended the previous write, with the state it came in.
    unsigned char hold[NSLAB_GUARD_HOLD_MAX];
    unsigned char holdCount;
    unsigned char holdState;
    /// The prompt mark being read: its payload so far, whether it outgrew the payload, and a trailing ESC.
    unsigned char markOverflow;
    unsigned char markEscape;
    unsigned char markLength;
    unsigned char mark[NSLAB_MARK_PAYLOAD_MAX];
} nslab_vterm_guard;

/// Writes bytes from the child to libvterm through the guard, up to and including the next prompt mark.
///
/// Returns how many bytes it consumed. When that ends with a prompt mark, `*mark` describes it (kind != 0) and
/// libvterm has already seen every byte before the mark, so its cursor is where the mark fell; the caller handles
/// the mark and calls again with the rest. Otherwise it returns `length` and `mark->kind` is 0. Bytes that end a
/// write in the middle of a character or of a possible mark are held back until the next call.
size_t nslab_guard_write(struct VTerm *_Nonnull vt, nslab_vterm_guard *_Nonnull guard, const char *_Nonnull bytes,
                         size_t length, nslab_prompt_mark *_Nonnull mark);

/// Tells the guard that the caller wrote CAN to libvterm itself (a resize does): the sequence libvterm was reading is
/// abandoned. A prompt mark being read, or the held beginning of one, goes on: libvterm never saw it.
void nslab_guard_cancel(nslab_vterm_guard *_Nonnull guard);

#endif
