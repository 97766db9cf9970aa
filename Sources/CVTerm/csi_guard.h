// Input guard for libvterm 0.1.4: drops the few byte patterns that crash its parser.
//
// 1. CSI arguments. libvterm 0.1.4 stores them in a fixed array of CSI_ARGS_MAX (16) entries but never checks the
//    index: every ';' or ':' advances it, so "ESC [ 1;1;1;..." with enough separators writes past the array and
//    crashes (bounded upstream after 0.1.4). Very long digit runs also overflow a signed long. While a CSI is being
//    read, separators past the 15th and digits past the 9th of one argument are dropped.
// 2. C1 controls written as UTF-8 (U+0080..U+009F, lead byte C2). libvterm gives them width -1, and in insert
//    mode (CSI 4 h) that width becomes a negative rectangle and a wild memmove. Its UTF-8 decoder also keeps a
//    started sequence across control bytes, so "C2 CR 9D" decodes to U+009D as well. Hence a C2 byte passes only
//    when the very next byte completes a printable character (A0..BF); otherwise it is dropped, together with a
//    directly following 80..9F. Nothing printable is lost: U+0080..U+009F show nothing in a UTF-8 terminal.
// 3. REP (CSI n b, repeat the last character). 0.1.4 loops forever when the last glyph has width 0 (nothing
//    printed yet, or a lone combining mark) and writes outside the row when it is a wide character at the right
//    edge. The guard remembers the last printed character and lets REP through only when that is printable ASCII
//    or from a few blocks libvterm draws one column wide (Latin, Greek, Cyrillic, punctuation, arrows, box
//    drawing, braille), which covers what ncurses repeats. Any other REP is cancelled with CAN.
// 4. Restored cursors. After a resize, 0.1.4 can restore a saved cursor (DECRC, leaving the alternate screen)
//    that lies outside the smaller screen, and the next erase writes outside it. After ESC 8 and after any
//    CSI ? ... h/l the guard checks the cursor and moves it back on screen with a CUP.
// 5. Double-width and double-height lines (ESC # 3, 4, 6). Combined with resizes they crash 0.1.4's resize;
//    they are cancelled, which is also what tmux does with them (it does not support them).
// 6. Bytes 80..FF inside an escape. 0.1.4 ignores them and stays in the escape, so "ESC F6 8" is still DECRC and
//    "ESC F6 # 6" still DECDWL. The guard used to take such a byte as the end of the escape, which let both past
//    points 4 and 5: a cursor restored below a shrunk screen then made line attributes and text read and write
//    past libvterm's line-info array (heap corruption that later crashed inside vterm_set_size when it frees that
//    array) and scrolls memmove from NULL rows. The guard now ignores these bytes in an escape, as libvterm does.
// 7. UTF-8 sequences cut short. 0.1.4's decoder keeps an unfinished sequence across calls, and when the next text
//    starts with a printable byte it emits U+FFFD and that byte: two code points for one byte, one past the stack
//    array on_text sized by the byte count. So libvterm never sees a sequence cut short: one interrupted by a C0
//    control, DEL or ESC (also "lead, FE/FF, control", since FE and FF leave a sequence open) becomes U+FFFD, which
//    is what it shows for it anyway, and one cut by the end of a write is held back until the next write finishes
//    it (which also fixes characters split between reads). SS2 and SS3 (ESC N, ESC O) make the decoder stop after
//    one code point, in the middle of a sequence, in a charset slot a later locking shift reaches: they are
//    cancelled (they mean nothing in a UTF-8 terminal).
// 8. Wide combining marks. 0.1.4 adds the widths of a base character and its combining marks, and counts the kana
//    sound marks U+3099, U+309A and the tone marks U+302A..U+302F as 2 columns each, so "e" and 41 such marks make
//    an 83-column glyph that putglyph writes past the end of an 80-column row (a NULL write; no resize needed; on
//    the narrowest screen one mark does it). The sound marks become their spacing forms U+309B and U+309C (drawn in
//    the same columns libvterm gave them), the tone marks are dropped. Bytes FE and FF, which libvterm shows as
//    U+FFFD without closing an open sequence ("E3 80 FF AC" is still U+302C), are written as U+FFFD.
//
// 9. ESC inside an OSC or DCS string. 0.1.4 computes the string's length as "bytes before the ESC" relative to
//    where the current write or the last control inside the string began, which is -1 when ST (ESC \) is split
//    between two writes or a control comes between ESC and \; strncpy then reads up to 64 bytes past the input.
//    So an ESC in a string reaches libvterm only together with the byte after it: with \ as one write; before
//    anything else after CAN, which abandons the string as libvterm would; at the end of a write it is held back.
// 10. Intermediates before [, ] or P. 0.1.4 starts a CSI, OSC or DCS on these bytes even after intermediates, so
//    "ESC * [ 3 b" is REP and "ESC * [ 1;1;..." a CSI with too many arguments. The guard took them as ending a
//    charset designation, which let such a CSI past points 1 and 3 (libFuzzer found a REP that never ended).
//    The guard now starts a CSI, OSC or DCS there too.
//
// Everything else passes through untouched, in as few vterm_input_write calls as possible, so the cost per byte of
// plain text is one table look-up in C, far below the parser's own.
//
// The escape states mirror libvterm's: ESC moves to "escape" from anywhere (also inside OSC/DCS, where 0.1.4 then
// starts a CSI on '['); C0 controls are executed without leaving the state; NUL and DEL are ignored; CAN and SUB
// cancel. 0x9B is not a CSI here because TerminalKit always runs libvterm in UTF-8 mode, where C1 bytes are not
// controls.
#ifndef NSLAB_CSI_GUARD_H
#define NSLAB_CSI_GUARD_H
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <vterm.h>

enum {
    NSLAB_GUARD_TEXT = 0,
    NSLAB_GUARD_ESCAPE = 1,
    NSLAB_GUARD_CSI = 2,
    NSLAB_GUARD_CSI_INTERMEDIATE = 3,
    NSLAB_GUARD_STRING = 4,
    NSLAB_GUARD_MAX_SEPARATORS = 15,
    NSLAB_GUARD_MAX_DIGITS = 9,
    NSLAB_GUARD_PASS = 0,
    NSLAB_GUARD_DROP = 1,
    NSLAB_GUARD_CANCEL = 2,
    NSLAB_GUARD_CHECK_CURSOR = 3,
};

/// Parser position the guard carries from one write to the next; zero-initialised means "in text".
typedef struct {
    int state;
    int separators;
    int digits;
    /// An unfinished UTF-8 sequence that ended the previous write, held back until the next write finishes it
    /// (see 2 and 7); heldCount bytes of held are in use.
    unsigned char held[6];
    int heldCount;
    /// An ESC that ended the previous write inside an OSC or DCS string, held back until the next byte (see 9).
    int heldEscape;
    /// Intermediate bytes seen since ESC; ESC [ only starts a CSI without them.
    int escapeIntermediates;
    /// The last printed character is one REP may repeat safely.
    int lastGlyphRepeatable;
    /// The CSI being read has a private leader such as '?'.
    int csiLeader;
    /// The escape being read started with the intermediate '#' (DEC line attributes).
    int escapeHash;
} nslab_csi_guard;

/// Moves libvterm's cursor back onto the screen if it lies outside; see point 4 above.
static inline void nslab_keep_cursor_on_screen(VTerm *_Nonnull vt) {
    int rows = 0, cols = 0;
    vterm_get_size(vt, &rows, &cols);
    VTermPos pos;
    vterm_state_get_cursorpos(vterm_obtain_state(vt), &pos);
    if (pos.row >= 0 && pos.row < rows && pos.col >= 0 && pos.col < cols) return;
    int row = pos.row < 0 ? 0 : pos.row >= rows ? rows - 1 : pos.row;
    int col = pos.col < 0 ? 0 : pos.col >= cols ? cols - 1 : pos.col;
    char move[32];
    int length = snprintf(move, sizeof move, "\033[%d;%dH", row + 1, col + 1);
    if (length > 0) vterm_input_write(vt, move, (size_t)length);
}

/// Characters libvterm 0.1.4 draws exactly one column wide, so repeating them is safe.
static inline int nslab_guard_repeatable(unsigned int cp) {
    return (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0x2ff && cp != 0xad) || (cp >= 0x370 && cp <= 0x482)
        || (cp >= 0x48a && cp <= 0x52f) || (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205e)
        || (cp >= 0x2190 && cp <= 0x21ff) || (cp >= 0x2500 && cp <= 0x259f) || (cp >= 0x2800 && cp <= 0x28ff);
}

/// Whether the last character printed by the text in [start, end) is repeatable; `previous` when it prints none.
/// Decodes only the final UTF-8 sequence; anything malformed or split across writes counts as not repeatable.
static inline int nslab_guard_last_glyph(const unsigned char *_Nonnull start, const unsigned char *_Nonnull end,
                                         int previous) {
    const unsigned char *q = end;
    while (q > start && (q[-1] < 0x20 || q[-1] == 0x7f)) q--; // controls print nothing
    if (q == start) return previous;
    const unsigned char *lead = q - 1;
    if (*lead < 0x80) return 1;
    while (lead > start && (*lead & 0xc0) == 0x80 && q - lead < 4) lead--;
    long length = q - lead;
    unsigned int cp;
    if ((*lead & 0xe0) == 0xc0 && length == 2) {
        cp = (unsigned int)(*lead & 0x1f);
    } else if ((*lead & 0xf0) == 0xe0 && length == 3) {
        cp = (unsigned int)(*lead & 0x0f);
    } else {
        return 0; // 4-byte characters (emoji) may be wide; lone or malformed bytes print U+FFFD
    }
    for (const unsigned char *c = lead + 1; c < q; c++) {
        if ((*c & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (unsigned int)(*c & 0x3f);
    }
    return nslab_guard_repeatable(cp);
}

/// Hands bytes [*pending, upto) to libvterm and moves *pending to `resume`.
static inline void nslab_guard_flush(VTerm *_Nonnull vt, const unsigned char *_Nonnull *_Nonnull pending,
                                     const unsigned char *_Nonnull upto, const unsigned char *_Nonnull resume) {
    if (upto > *pending) vterm_input_write(vt, (const char *)*pending, (size_t)(upto - *pending));
    *pending = resume;
}

/// Tracks one byte outside plain text; says whether to pass it, drop it, or replace it with CAN.
static inline int nslab_guard_step(nslab_csi_guard *_Nonnull guard, unsigned char c) {
    if (c == 0x1b) {
        guard->state = NSLAB_GUARD_ESCAPE;
        guard->escapeIntermediates = 0;
        guard->escapeHash = 0;
    } else if (c == 0x18 || c == 0x1a) {
        guard->state = NSLAB_GUARD_TEXT;
    } else if (c == 0x07 && guard->state == NSLAB_GUARD_STRING) {
        guard->state = NSLAB_GUARD_TEXT; // BEL ends OSC and DCS strings
    } else if (c < 0x20 || c == 0x7f) {
        // Executed or ignored by libvterm without leaving the current state.
    } else if (guard->state == NSLAB_GUARD_STRING) {
        // String payload (title, DCS data): never printed.
    } else if (guard->state == NSLAB_GUARD_ESCAPE) {
        if (c >= 0x80) {
            // libvterm ignores it and stays in the escape, so "ESC 0xF6 8" is still DECRC (see 4).
        } else if (c < 0x30) {
            if (guard->escapeIntermediates == 0 && c == '#') guard->escapeHash = 1;
            guard->escapeIntermediates++;
        } else if (c == '[') {
            // libvterm starts a CSI (and a DCS or OSC below) even after intermediates: "ESC * [" is a CSI too.
            guard->state = NSLAB_GUARD_CSI;
            guard->separators = 0;
            guard->digits = 0;
            guard->csiLeader = 0;
        } else if (c == ']' || c == 'P') {
            guard->state = NSLAB_GUARD_STRING;
        } else {
            guard->state = NSLAB_GUARD_TEXT;
            if (guard->escapeIntermediates == 0 && c == '8') return NSLAB_GUARD_CHECK_CURSOR; // DECRC
            if (guard->escapeIntermediates == 1 && guard->escapeHash && (c == '3' || c == '4' || c == '6')) {
                return NSLAB_GUARD_CANCEL; // DECDHL, DECDWL
            }
            if (guard->escapeIntermediates == 0 && (c == 'N' || c == 'O')) return NSLAB_GUARD_CANCEL; // SS2, SS3
        }
    } else if (guard->state == NSLAB_GUARD_CSI) {
        if (c >= '0' && c <= '9') {
            int drop = guard->separators > NSLAB_GUARD_MAX_SEPARATORS || ++guard->digits > NSLAB_GUARD_MAX_DIGITS;
            return drop ? NSLAB_GUARD_DROP : NSLAB_GUARD_PASS;
        } else if (c == ';' || c == ':') {
            guard->digits = 0;
            return ++guard->separators > NSLAB_GUARD_MAX_SEPARATORS ? NSLAB_GUARD_DROP : NSLAB_GUARD_PASS;
        } else if (c >= 0x3c && c <= 0x3f && guard->separators == 0 && guard->digits == 0) {
            guard->csiLeader = 1; // leader bytes such as '?' come before the arguments and keep the CSI going
        } else if (c < 0x30) {
            guard->state = NSLAB_GUARD_CSI_INTERMEDIATE;
        } else {
            guard->state = NSLAB_GUARD_TEXT;
            if (c == 'b' && !guard->lastGlyphRepeatable) return NSLAB_GUARD_CANCEL;
            if (guard->csiLeader && (c == 'h' || c == 'l')) return NSLAB_GUARD_CHECK_CURSOR;
        }
    } else if (guard->state == NSLAB_GUARD_CSI_INTERMEDIATE) {
        if (c >= 0x30) guard->state = NSLAB_GUARD_TEXT;
    }
    return NSLAB_GUARD_PASS;
}

/// Length of the UTF-8 sequence libvterm's decoder starts at byte `c`, counting `c`; 0 when it starts none.
static inline int nslab_utf8_length(unsigned char c) {
    return c < 0xc0 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : c < 0xfc ? 5 : c < 0xfe ? 6 : 0;
}

/// The lead byte of a UTF-8 sequence that [from, p) ends in the middle of, or NULL when it ends on a boundary.
/// Mirrors libvterm's decoder, where FE and FF give U+FFFD but leave a started sequence open.
static inline const unsigned char *_Nullable nslab_guard_unfinished(const unsigned char *_Nonnull from,
                                                                   const unsigned char *_Nonnull p) {
    const unsigned char *q = p;
    long continuations = 0;
    while (q > from && ((q[-1] & 0xc0) == 0x80 || q[-1] >= 0xfe)) {
        if (q[-1] < 0xc0 && ++continuations == 5) return NULL; // enough to finish any sequence
        q--;
    }
    if (q == from) return NULL;
    return nslab_utf8_length(q[-1]) > continuations + 1 ? q - 1 : NULL;
}

/// Ends the text before `p` on a character boundary (see 7). Each unfinished sequence at its end (a lead byte cut
/// short by a control, or by the next lead byte) is replaced by U+FFFD, which is what libvterm shows for it, so its
/// decoder carries nothing past `p`.
static inline void nslab_guard_end_text(VTerm *_Nonnull vt, const unsigned char *_Nonnull *_Nonnull pending,
                                        const unsigned char *_Nonnull from, const unsigned char *_Nonnull p) {
    if (from < *pending) from = *pending;
    const unsigned char *first = nslab_guard_unfinished(from, p);
    if (!first) return;
    int count = 1;
    for (const unsigned char *lead; (lead = nslab_guard_unfinished(from, first)) != NULL; first = lead) count++;
    nslab_guard_flush(vt, pending, first, p);
    static const char replacements[] = "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                                       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd";
    while (count > 0) {
        int now = count < 12 ? count : 12;
        vterm_input_write(vt, replacements, (size_t)now * 3);
        count -= now;
    }
}

/// For the UTF-8 sequence at `s` (3 bytes, lead E3): -1 when it is not a combining mark libvterm counts as 2
/// columns wide (see 8), 0 for a tone mark U+302A..U+302F, which is dropped, or the last byte of the spacing form
/// that replaces a kana sound mark (U+3099 -> U+309B, U+309A -> U+309C).
static inline int nslab_guard_wide_mark(const unsigned char *_Nonnull s) {
    if (s[1] == 0x82 && (s[2] == 0x99 || s[2] == 0x9a)) return s[2] + 2;
    if (s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xaf) return 0;
    return -1;
}

/// Finishes the sequence held from the previous write with the first bytes of this one; returns how many bytes
/// of `p` it used, or -1 when they all went into the still unfinished sequence.
static inline long nslab_guard_release(VTerm *_Nonnull vt, nslab_csi_guard *_Nonnull guard,
                                       const unsigned char *_Nonnull p, const unsigned char *_Nonnull end) {
    const unsigned char *start = p;
    int need = nslab_utf8_length(guard->held[0]);
    while (p < end && guard->heldCount < need && (*p & 0xc0) == 0x80) guard->held[guard->heldCount++] = *p++;
    if (guard->heldCount < need && p == end) return -1;
    int mark = need == 3 && guard->heldCount == 3 && guard->held[0] == 0xe3 ? nslab_guard_wide_mark(guard->held) : -1;
    if (mark >= 0) {
        guard->held[2] = (unsigned char)mark;
        if (mark > 0) vterm_input_write(vt, (const char *)guard->held, 3);
        if (guard->state == NSLAB_GUARD_TEXT) guard->lastGlyphRepeatable = 0;
    } else if (guard->heldCount == need && (guard->held[0] != 0xc2 || guard->held[1] >= 0xa0)) {
        // One write for the whole character, so the decoder ends it within one call.
        vterm_input_write(vt, (const char *)guard->held, (size_t)need);
        if (guard->state == NSLAB_GUARD_TEXT) {
            guard->lastGlyphRepeatable = nslab_guard_last_glyph(guard->held, guard->held + need, 0);
        }
    } else if (guard->held[0] != 0xc2) {
        vterm_input_write(vt, "\xef\xbf\xbd", 3); // cut short: what libvterm shows for it
        if (guard->state == NSLAB_GUARD_TEXT) guard->lastGlyphRepeatable = 0;
    } // else a C1 control written as UTF-8, or an unfinished C2: dropped (see 2)
    guard->heldCount = 0;
    return p - start;
}

/// Writes `length` bytes to libvterm, dropping only the bytes that would crash its parser (see above).
static inline void nslab_guarded_write(VTerm *_Nonnull vt, nslab_csi_guard *_Nonnull guard,
                                       const char *_Nonnull bytes, size_t length) {
    // Bytes the guard looks at in plain text: C0 controls and DEL end a run of text (see 7), C2 may start a C1
    // (see 2), E3 a wide combining mark (see 8), FE and FF hide one (see 8). Everything else in plain text costs
    // one table look-up.
    static const unsigned char special[256] = {
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 00-1f
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 20-3f
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 40-5f
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, // 60-7f
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // 80-9f
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // a0-bf
        0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // c0-df
        0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, // e0-ff
    };
    const unsigned char *p = (const unsigned char *)bytes;
    const unsigned char *end = p + length;
    if (length == 0) return;
    if (guard->heldCount) {
        long used = nslab_guard_release(vt, guard, p, end);
        if (used < 0) return;
        p += used;
    }
    if (guard->heldEscape) {
        guard->heldEscape = 0;
        if (*p == '\\') {
            vterm_input_write(vt, "\x1b\\", 2); // ST in one write
            guard->state = NSLAB_GUARD_TEXT;
            p++;
        } else {
            vterm_input_write(vt, "\x18\x1b", 2); // the string is abandoned, as libvterm does
            nslab_guard_step(guard, 0x1b);
        }
    }
    const unsigned char *pending = p; // first byte not yet handed to libvterm
    const unsigned char *text = p;    // where the current run of printable text began
    while (p < end) {
        if (guard->state == NSLAB_GUARD_TEXT) {
            // The hot loop: plain text, one table look-up per byte.
            while (p < end && !special[*p]) p++;
            if (p == end) break;
        }
        unsigned char c = *p;
        // A control ends the text before it; C2 and E3 only when they are dropped or replaced below.
        if (c < 0x80 && guard->state == NSLAB_GUARD_TEXT) nslab_guard_end_text(vt, &pending, text, p);
        if (c >= 0xfe && guard->state == NSLAB_GUARD_TEXT) {
            // FE and FF leave an open sequence open in libvterm's decoder, so "E3 80 FF AC" would still be a
            // tone mark (see 8). They show as U+FFFD; the guard writes that instead, which closes the sequence.
            nslab_guard_end_text(vt, &pending, text, p);
            nslab_guard_flush(vt, &pending, p, p + 1);
            vterm_input_write(vt, "\xef\xbf\xbd", 3);
            p++;
            continue;
        }
        if (c == 0xe3) {
            int mark = guard->state == NSLAB_GUARD_TEXT && end - p >= 3 ? nslab_guard_wide_mark(p) : -1;
            if (mark >= 0) {
                nslab_guard_end_text(vt, &pending, text, p);
                nslab_guard_flush(vt, &pending, p, p + 3);
                unsigned char spacing[3] = {0xe3, 0x82, (unsigned char)mark};
                if (mark > 0) vterm_input_write(vt, (const char *)spacing, 3);
                p += 3;
                continue;
            }
        }
        if (c == 0xc2 && guard->state != NSLAB_GUARD_STRING) {
            if (p + 1 == end) {
                if (guard->state == NSLAB_GUARD_TEXT) {
                    nslab_guard_end_text(vt, &pending, text, p);
                    guard->lastGlyphRepeatable = nslab_guard_last_glyph(text, p, guard->lastGlyphRepeatable);
                }
                nslab_guard_flush(vt, &pending, p, end);
                guard->held[0] = c;
                guard->heldCount = 1;
                return;
            }
            unsigned char next = p[1];
            if (next < 0xa0 || next > 0xbf) {
                if (guard->state == NSLAB_GUARD_TEXT) nslab_guard_end_text(vt, &pending, text, p);
                int pair = next >= 0x80 && next <= 0x9f;
                nslab_guard_flush(vt, &pending, p, p + 1 + pair);
                p += 1 + pair;
                continue;
            }
        }
        if (c == 0x1b && guard->state == NSLAB_GUARD_STRING) {
            if (p + 1 == end) {
                nslab_guard_flush(vt, &pending, p, end);
                guard->heldEscape = 1;
                return;
            }
            if (p[1] != '\\') {
                nslab_guard_flush(vt, &pending, p, p);
                vterm_input_write(vt, "\x18", 1); // the string is abandoned, as libvterm does
            }
        }
        if (c == 0x1b || guard->state != NSLAB_GUARD_TEXT) {
            if (guard->state == NSLAB_GUARD_TEXT) {
                guard->lastGlyphRepeatable = nslab_guard_last_glyph(text, p, guard->lastGlyphRepeatable);
            }
            int action = nslab_guard_step(guard, c);
            if (action == NSLAB_GUARD_DROP || action == NSLAB_GUARD_CANCEL) nslab_guard_flush(vt, &pending, p, p + 1);
            if (action == NSLAB_GUARD_CANCEL) vterm_input_write(vt, "\x18", 1);
            if (action == NSLAB_GUARD_CHECK_CURSOR) {
                nslab_guard_flush(vt, &pending, p + 1, p + 1);
                nslab_keep_cursor_on_screen(vt);
            }
            text = p + 1;
        }
        p++;
    }
    if (guard->state == NSLAB_GUARD_TEXT) {
        const unsigned char *lead = nslab_guard_unfinished(text > pending ? text : pending, end);
        guard->lastGlyphRepeatable = nslab_guard_last_glyph(text, lead ? lead : end, guard->lastGlyphRepeatable);
        int holdable = lead && end - lead < nslab_utf8_length(*lead);
        for (const unsigned char *q = lead; holdable && ++q < end;) holdable = *q < 0xc0;
        if (holdable) {
            // Held back, so libvterm never ends a write inside a character (see 7).
            nslab_guard_end_text(vt, &pending, text, lead);
            nslab_guard_flush(vt, &pending, lead, end);
            guard->heldCount = (int)(end - lead);
            memcpy(guard->held, lead, (size_t)guard->heldCount);
            return;
        }
        nslab_guard_end_text(vt, &pending, text, end); // FE or FF inside: garbage that is not worth holding
    }
    nslab_guard_flush(vt, &pending, end, end);
}

#endif
