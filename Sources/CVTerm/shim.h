// libvterm 0.1.4 (Debian 12). Anything newer is gated on VTERM_VERSION_MINOR.
#ifndef NSLAB_CVTERM_SHIM_H
#define NSLAB_CVTERM_SHIM_H
#include <vterm.h>
#include "line_pack.h"

// Small helpers for TerminalKit. They hide the spots where libvterm's API changed after 0.1.4, so the
// Swift code compiles against either and only this header knows the difference.

/// True when the cell is concealed (SGR 8); libvterm only tracks conceal from 0.2 on, so 0.1.4 says false.
static inline int nslab_cell_is_concealed(const VTermScreenCell *_Nonnull cell) {
#if VTERM_VERSION_MAJOR > 0 || VTERM_VERSION_MINOR >= 2
    return cell->attrs.conceal;
#else
    (void)cell;
    return 0;
#endif
}

/// The bytes of a string-valued property (title, icon name). 0.1.4 passes a NUL-terminated string;
/// 0.2 and later pass a fragment with an explicit length. Returns NULL when there is no string.
static inline const char *_Nullable nslab_value_string(const VTermValue *_Nonnull value, size_t *_Nonnull length) {
#if VTERM_VERSION_MAJOR > 0 || VTERM_VERSION_MINOR >= 2
    *length = value->string.len;
    return value->string.str;
#else
    const char *s = value->string;
    size_t n = 0;
    // The parser's string buffer is small (64 bytes in 0.1.4), but bound the scan anyway.
    if (s) {
        while (n < 4096 && s[n]) n++;
    }
    *length = n;
    return s;
#endif
}

/// True when a string-valued property arrives in one piece (always in 0.1.4; 0.2 may split it).
static inline int nslab_value_string_is_final(const VTermValue *_Nonnull value) {
#if VTERM_VERSION_MAJOR > 0 || VTERM_VERSION_MINOR >= 2
    return value->string.final;
#else
    (void)value;
    return 1;
#endif
}

#endif
