// The input guard in front of libvterm. It does two jobs on the bytes a pane's child writes:
//
// A. Prompt marks. Shells that integrate with terminals mark their prompt with OSC 133 ("ESC ] 133 ; A" prompt
//    start, "B" command start, "C" output start, "D;STATUS" command end, ended by BEL or ST). The guard takes them
//    out of the stream, so they never reach libvterm or the screen, and returns each to the caller at the place it
//    fell: libvterm has seen every byte before it, so its cursor is where the mark was. A mark split between writes
//    (a pty read can end anywhere) is held back until it is complete; libvterm 0.1.4 itself would lose the start of
//    an OSC split between two writes. Every other OSC passes as before.
//
// B. Workarounds for libvterm's parser, each gated on the libvterm versions it works around (see NSLAB_GUARD_* below)
//    so that a newer libvterm compiles it out. They were found in and are tested against 0.1.4 (Debian 12), the
//    only version nslab builds with; whether a later release fixed each one was not checked, so each gate names
//    0.1.x, the version the fix is known to be needed in. The guard drops or replaces only the few byte patterns
//    that crash 0.1.4:
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
//    "ESC F6 # 6" still DECDWL: the state table ignores them there too, so points 4 and 5 still see the final byte.
//    (Taking such a byte as the end of the escape let a cursor restored below a shrunk screen make line attributes
//    and text read and write past libvterm's line-info array.)
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
// 9. ESC inside an OSC or DCS string. 0.1.4 computes the string's length as "bytes before the ESC" relative to
//    where the current write or the last control inside the string began, which is -1 when ST (ESC \) is split
//    between two writes or a control comes between ESC and \; strncpy then reads up to 64 bytes past the input.
//    So an ESC in a string reaches libvterm only together with the byte after it: with \ as one write; before
//    anything else after CAN, which abandons the string as libvterm would; at the end of a write it is held back.
// 10. Intermediates before [, ] or P. 0.1.4 starts a CSI, OSC or DCS on these bytes even after intermediates, so
//    "ESC * [ 3 b" is REP and "ESC * [ 1;1;..." a CSI with too many arguments. The state table starts a CSI, OSC or
//    DCS there too, so such a CSI is guarded like any other.
//
// Everything else passes through untouched, in as few vterm_input_write calls as possible: plain text costs one
// table look-up per byte (byte_class, below), far below the parser's own cost.
//
// The escape states mirror libvterm's: ESC moves to "escape" from anywhere (also inside OSC/DCS, where 0.1.4 then
// starts a CSI on '['); C0 controls are executed without leaving the state; NUL and DEL are ignored; CAN and SUB
// cancel. 0x9B is not a CSI here because TerminalKit always runs libvterm in UTF-8 mode, where C1 bytes are not
// controls. The layout follows tmux's input.c: each byte has a class, and (state, class) gives an action and the
// next state.
#include "vterm_guard.h"

#include <stdio.h>
#include <string.h>
#include <vterm.h>

// MARK: - Version gates

/// True when the libvterm being compiled against is at most MAJOR.MINOR.
#define NSLAB_VTERM_AT_MOST(major, minor)                                                                            \
    (VTERM_VERSION_MAJOR < (major) || (VTERM_VERSION_MAJOR == (major) && VTERM_VERSION_MINOR <= (minor)))

// One gate per point above. NSLAB_GUARD_PRETEND_NEWER_VTERM compiles every workaround out, as a newer libvterm
// would, so that scripts/test.sh can check that configuration still compiles.
#if defined(NSLAB_GUARD_PRETEND_NEWER_VTERM)
#define NSLAB_GUARD_KNOWN(major, minor) 0
#else
#define NSLAB_GUARD_KNOWN(major, minor) NSLAB_VTERM_AT_MOST(major, minor)
#endif
#define NSLAB_GUARD_CSI_ARGUMENTS NSLAB_GUARD_KNOWN(0, 1)  // 1
#define NSLAB_GUARD_C1 NSLAB_GUARD_KNOWN(0, 1)             // 2
#define NSLAB_GUARD_REP NSLAB_GUARD_KNOWN(0, 1)            // 3
#define NSLAB_GUARD_CURSOR NSLAB_GUARD_KNOWN(0, 1)         // 4
#define NSLAB_GUARD_LINE_SIZE NSLAB_GUARD_KNOWN(0, 1)      // 5
#define NSLAB_GUARD_UTF8 NSLAB_GUARD_KNOWN(0, 1)           // 7
#define NSLAB_GUARD_WIDE_MARKS NSLAB_GUARD_KNOWN(0, 1)     // 8
#define NSLAB_GUARD_STRING_ESCAPE NSLAB_GUARD_KNOWN(0, 1)  // 9
// Points 6 and 10 are how the state table reads escapes; they matter only to the points above.

enum {
    MAX_SEPARATORS = 15,
    MAX_DIGITS = 9,
};

// MARK: - The state table

/// States, as in libvterm's parser, plus MARK for an OSC 133 payload that libvterm never sees.
enum {
    GROUND,              // text
    ESCAPE,              // after ESC
    ESCAPE_HASH,         // after ESC # (DEC line attributes, point 5)
    ESCAPE_INTERMEDIATE, // after ESC and intermediates other than a lone '#'
    CSI_ENTRY,           // after ESC [, before any argument: leader bytes such as '?' are taken here
    CSI_PARAM,           // reading arguments
    CSI_INTERMEDIATE,    // after intermediates in a CSI
    STRING,              // OSC or DCS payload: never printed, ended by BEL or ST
    MARK,                // OSC 133 payload (vterm_guard.h), taken out of the stream
    STATE_COUNT,
};

/// Byte classes. The classes before FIRST_SPECIAL are plain text in GROUND, so the text loop only compares the
/// class with FIRST_SPECIAL.
enum {
    CL_FINAL,        // 0x40..0x7E not named below: ends an escape or a CSI
    CL_INTERMEDIATE, // 0x20..0x2F except '#'
    CL_HASH,         // '#'
    CL_DIGIT,        // '0'..'9' except those below
    CL_DHL,          // '3', '4', '6': DECDHL and DECDWL after ESC # (point 5)
    CL_DECRC,        // '8': DECRC after ESC (point 4)
    CL_SEPARATOR,    // ';' ':'
    CL_LEADER,       // '<' '=' '>' '?'
    CL_CSI,          // '['
    CL_STRING,       // ']' (OSC) and 'P' (DCS)
    CL_SINGLE_SHIFT, // 'N' 'O' (SS2, SS3; point 7)
    CL_REP,          // 'b' (point 3)
    CL_MODE,         // 'h' 'l' (point 4)
    CL_HIGH,         // 0x80..0xFF not named below
    FIRST_SPECIAL,
    CL_C0 = FIRST_SPECIAL, // C0 controls but those below, and DEL
    CL_BEL,                // 0x07: also ends a string
    CL_CANCEL,             // CAN, SUB
    CL_ESC,                // 0x1B
    CL_C2,                 // may start a C1 control (point 2)
    CL_E3,                 // may start a wide combining mark (point 8)
    CL_FE_FF,              // never valid UTF-8 (point 8)
    CLASS_COUNT,
};

// Designated ranges say the table plainly; later entries override parts of a range on purpose.
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
#elif defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#endif

/// The class of every byte.
static const unsigned char byte_class[256] = {
    [0x00 ... 0x1f] = CL_C0,
    [0x07] = CL_BEL,
    [0x18] = CL_CANCEL,
    [0x1a] = CL_CANCEL,
    [0x1b] = CL_ESC,
    [0x20 ... 0x2f] = CL_INTERMEDIATE,
    ['#'] = CL_HASH,
    ['0' ... '9'] = CL_DIGIT,
    ['3'] = CL_DHL,
    ['4'] = CL_DHL,
    ['6'] = CL_DHL,
    ['8'] = CL_DECRC,
    [':'] = CL_SEPARATOR,
    [';'] = CL_SEPARATOR,
    ['<' ... '?'] = CL_LEADER,
    ['@' ... '~'] = CL_FINAL,
    ['['] = CL_CSI,
    [']'] = CL_STRING,
    ['P'] = CL_STRING,
    ['N'] = CL_SINGLE_SHIFT,
    ['O'] = CL_SINGLE_SHIFT,
    ['b'] = CL_REP,
    ['h'] = CL_MODE,
    ['l'] = CL_MODE,
    [0x7f] = CL_C0,
    [0x80 ... 0xff] = CL_HIGH,
#if NSLAB_GUARD_C1
    [0xc2] = CL_C2,
#endif
#if NSLAB_GUARD_WIDE_MARKS
    [0xe3] = CL_E3,
    [0xfe] = CL_FE_FF,
    [0xff] = CL_FE_FF,
#endif
};

/// What the guard does with a byte, besides moving to the next state.
enum {
    PASS,         // hand it to libvterm
    CONTROL,      // a C0 control in text: the text before it ends on a character boundary (point 7)
    ESCAPE_START, // ESC: maybe a prompt mark, maybe the end of a string (point 9)
    C1_CHECK,     // C2: dropped unless it starts a printable character (point 2)
    WIDE_MARK,    // E3 in text: a wide combining mark is replaced (point 8)
    REPLACEMENT,  // FE or FF in text: written as U+FFFD (point 8)
    CSI_START,    // '[' after ESC: counters start afresh
    CSI_DIGIT,    // dropped past MAX_DIGITS, or past MAX_SEPARATORS separators (point 1)
    CSI_SEPARATOR,
    CSI_LEADER,
    REP_CHECK,    // REP cancelled unless the last glyph is safe to repeat (point 3)
    MODE_CHECK,   // CSI ? ... h/l: the cursor is put back on screen (point 4)
    CURSOR_CHECK, // DECRC: the same (point 4)
    CANCEL,       // replaced by CAN (points 5 and 7)
    MARK_BYTE,    // handled by read_mark
};

/// One cell of the state table.
typedef struct {
    unsigned char action;
    unsigned char next;
} transition;

#if NSLAB_GUARD_CSI_ARGUMENTS
#define ON_CSI_DIGIT CSI_DIGIT
#define ON_CSI_SEPARATOR CSI_SEPARATOR
#else
#define ON_CSI_DIGIT PASS
#define ON_CSI_SEPARATOR PASS
#endif
#define ON_C1 (NSLAB_GUARD_C1 ? C1_CHECK : PASS)
#define ON_REP (NSLAB_GUARD_REP ? REP_CHECK : PASS)
#define ON_MODE (NSLAB_GUARD_CURSOR ? MODE_CHECK : PASS)
#define ON_DECRC (NSLAB_GUARD_CURSOR ? CURSOR_CHECK : PASS)
#define ON_LINE_SIZE (NSLAB_GUARD_LINE_SIZE ? CANCEL : PASS)
#define ON_SINGLE_SHIFT (NSLAB_GUARD_UTF8 ? CANCEL : PASS)

/// What every state does with C0 controls, CAN, SUB and ESC; BEL is a control except in a string.
#define CONTROLS(action)                                                                                             \
    [CL_C0] = {action, 0xff}, [CL_BEL] = {action, 0xff}, [CL_CANCEL] = {PASS, GROUND},                               \
    [CL_ESC] = {ESCAPE_START, ESCAPE}

/// The rest of an escape after an intermediate: [, ] and P still start a CSI, OSC or DCS (point 10), high bytes are
/// ignored (point 6), every other byte from 0x30 ends it.
#define ESCAPE_FINALS                                                                                                \
    [CL_FINAL] = {PASS, GROUND}, [CL_DIGIT] = {PASS, GROUND}, [CL_DHL] = {PASS, GROUND},                             \
    [CL_DECRC] = {PASS, GROUND}, [CL_SEPARATOR] = {PASS, GROUND}, [CL_LEADER] = {PASS, GROUND},                      \
    [CL_CSI] = {CSI_START, CSI_ENTRY}, [CL_STRING] = {PASS, STRING}, [CL_SINGLE_SHIFT] = {PASS, GROUND},             \
    [CL_REP] = {PASS, GROUND}, [CL_MODE] = {PASS, GROUND}, [CL_INTERMEDIATE] = {PASS, ESCAPE_INTERMEDIATE},          \
    [CL_HASH] = {PASS, ESCAPE_INTERMEDIATE}, [CL_HIGH] = {PASS, 0xff}, [CL_C2] = {ON_C1, 0xff},                      \
    [CL_E3] = {PASS, 0xff}, [CL_FE_FF] = {PASS, 0xff}

/// A CSI's arguments and final byte; anything from 0x30 that is not an argument ends it, as libvterm ends it.
#define CSI_BYTES                                                                                                    \
    [CL_FINAL] = {PASS, GROUND}, [CL_DIGIT] = {ON_CSI_DIGIT, CSI_PARAM}, [CL_DHL] = {ON_CSI_DIGIT, CSI_PARAM},       \
    [CL_DECRC] = {ON_CSI_DIGIT, CSI_PARAM}, [CL_SEPARATOR] = {ON_CSI_SEPARATOR, CSI_PARAM},                          \
    [CL_CSI] = {PASS, GROUND}, [CL_STRING] = {PASS, GROUND}, [CL_SINGLE_SHIFT] = {PASS, GROUND},                     \
    [CL_REP] = {ON_REP, GROUND}, [CL_MODE] = {ON_MODE, GROUND}, [CL_INTERMEDIATE] = {PASS, CSI_INTERMEDIATE},        \
    [CL_HASH] = {PASS, CSI_INTERMEDIATE}, [CL_HIGH] = {PASS, GROUND}, [CL_C2] = {ON_C1, GROUND},                     \
    [CL_E3] = {PASS, GROUND}, [CL_FE_FF] = {PASS, GROUND}

/// The state table. A next state of 0xff means "stay".
static const transition table[STATE_COUNT][CLASS_COUNT] = {
    [GROUND] =
        {
            // Printable classes never get here: the text loop skips them.
            CONTROLS(CONTROL),
            [CL_CANCEL] = {CONTROL, GROUND},
            [CL_C2] = {ON_C1, GROUND},
            [CL_E3] = {WIDE_MARK, GROUND},
            [CL_FE_FF] = {REPLACEMENT, GROUND},
        },
    [ESCAPE] =
        {
            CONTROLS(PASS),
            ESCAPE_FINALS,
            [CL_HASH] = {PASS, ESCAPE_HASH},
            [CL_DECRC] = {ON_DECRC, GROUND},
            [CL_SINGLE_SHIFT] = {ON_SINGLE_SHIFT, GROUND},
        },
    [ESCAPE_HASH] =
        {
            CONTROLS(PASS),
            ESCAPE_FINALS,
            [CL_DHL] = {ON_LINE_SIZE, GROUND},
        },
    [ESCAPE_INTERMEDIATE] =
        {
            CONTROLS(PASS),
            ESCAPE_FINALS,
        },
    [CSI_ENTRY] =
        {
            CONTROLS(PASS),
            CSI_BYTES,
            [CL_LEADER] = {CSI_LEADER, 0xff},
        },
    [CSI_PARAM] =
        {
            CONTROLS(PASS),
            CSI_BYTES,
            [CL_LEADER] = {PASS, GROUND}, // a leader after an argument: libvterm drops the CSI
        },
    [CSI_INTERMEDIATE] =
        {
            CONTROLS(PASS),
            [CL_FINAL] = {PASS, GROUND},
            [CL_DIGIT] = {PASS, GROUND},
            [CL_DHL] = {PASS, GROUND},
            [CL_DECRC] = {PASS, GROUND},
            [CL_SEPARATOR] = {PASS, GROUND},
            [CL_LEADER] = {PASS, GROUND},
            [CL_CSI] = {PASS, GROUND},
            [CL_STRING] = {PASS, GROUND},
            [CL_SINGLE_SHIFT] = {PASS, GROUND},
            [CL_REP] = {PASS, GROUND},
            [CL_MODE] = {PASS, GROUND},
            [CL_INTERMEDIATE] = {PASS, 0xff},
            [CL_HASH] = {PASS, 0xff},
            [CL_HIGH] = {PASS, GROUND},
            [CL_C2] = {ON_C1, GROUND},
            [CL_E3] = {PASS, GROUND},
            [CL_FE_FF] = {PASS, GROUND},
        },
    [STRING] =
        {
            // Payload bytes, C2 included, are never printed; BEL ends the string.
            CONTROLS(PASS),
            [CL_BEL] = {PASS, GROUND},
            [CL_FINAL] = {PASS, 0xff},
            [CL_INTERMEDIATE] = {PASS, 0xff},
            [CL_HASH] = {PASS, 0xff},
            [CL_DIGIT] = {PASS, 0xff},
            [CL_DHL] = {PASS, 0xff},
            [CL_DECRC] = {PASS, 0xff},
            [CL_SEPARATOR] = {PASS, 0xff},
            [CL_LEADER] = {PASS, 0xff},
            [CL_CSI] = {PASS, 0xff},
            [CL_STRING] = {PASS, 0xff},
            [CL_SINGLE_SHIFT] = {PASS, 0xff},
            [CL_REP] = {PASS, 0xff},
            [CL_MODE] = {PASS, 0xff},
            [CL_HIGH] = {PASS, 0xff},
            [CL_C2] = {PASS, 0xff},
            [CL_E3] = {PASS, 0xff},
            [CL_FE_FF] = {PASS, 0xff},
        },
    // MARK's bytes go to read_mark, which has the rules for them: BEL or ST ends the mark, CAN or SUB abandons it,
    // ESC followed by anything but '\' abandons it and starts an escape, other controls are executed, the rest is
    // payload.
    [MARK] = {[0 ... CLASS_COUNT - 1] = {MARK_BYTE, 0xff}},
};

#if defined(__clang__)
#pragma clang diagnostic pop
#elif defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

// MARK: - Helpers

/// Moves libvterm's cursor back onto the screen if it lies outside; see point 4.
static void keep_cursor_on_screen(VTerm *vt) {
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

/// Characters libvterm 0.1.4 draws exactly one column wide, so repeating them is safe (point 3).
static int repeatable(unsigned int cp) {
    return (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0x2ff && cp != 0xad) || (cp >= 0x370 && cp <= 0x482)
        || (cp >= 0x48a && cp <= 0x52f) || (cp >= 0x2010 && cp <= 0x2027) || (cp >= 0x2030 && cp <= 0x205e)
        || (cp >= 0x2190 && cp <= 0x21ff) || (cp >= 0x2500 && cp <= 0x259f) || (cp >= 0x2800 && cp <= 0x28ff);
}

/// Whether the last character printed by the text in [start, end) is repeatable; `previous` when it prints none.
/// Decodes only the final UTF-8 sequence; anything malformed or split across writes counts as not repeatable.
static int last_glyph(const unsigned char *start, const unsigned char *end, int previous) {
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
    return repeatable(cp);
}

/// Hands bytes [*pending, upto) to libvterm and moves *pending to `resume`.
static void flush(VTerm *vt, const unsigned char **pending, const unsigned char *upto, const unsigned char *resume) {
    if (upto > *pending) vterm_input_write(vt, (const char *)*pending, (size_t)(upto - *pending));
    *pending = resume;
}

/// Length of the UTF-8 sequence libvterm's decoder starts at byte `c`, counting `c`; 0 when it starts none.
static int utf8_length(unsigned char c) {
    return c < 0xc0 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : c < 0xfc ? 5 : c < 0xfe ? 6 : 0;
}

/// The lead byte of a UTF-8 sequence that [from, p) ends in the middle of, or NULL when it ends on a boundary.
/// Mirrors libvterm's decoder, where FE and FF give U+FFFD but leave a started sequence open.
static const unsigned char *unfinished(const unsigned char *from, const unsigned char *p) {
    const unsigned char *q = p;
    long continuations = 0;
    while (q > from && ((q[-1] & 0xc0) == 0x80 || q[-1] >= 0xfe)) {
        if (q[-1] < 0xc0 && ++continuations == 5) return NULL; // enough to finish any sequence
        q--;
    }
    if (q == from) return NULL;
    return utf8_length(q[-1]) > continuations + 1 ? q - 1 : NULL;
}

/// Ends the text before `p` on a character boundary (point 7). Each unfinished sequence at its end (a lead byte cut
/// short by a control, or by the next lead byte) is replaced by U+FFFD, which is what libvterm shows for it, so its
/// decoder carries nothing past `p`.
static void end_text(VTerm *vt, const unsigned char **pending, const unsigned char *from, const unsigned char *p) {
    if (from < *pending) from = *pending;
    const unsigned char *first = unfinished(from, p);
    if (!first) return;
    int count = 1;
    for (const unsigned char *lead; (lead = unfinished(from, first)) != NULL; first = lead) count++;
    flush(vt, pending, first, p);
    static const char replacements[] = "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                                       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd";
    while (count > 0) {
        int now = count < 12 ? count : 12;
        vterm_input_write(vt, replacements, (size_t)now * 3);
        count -= now;
    }
}

/// For the UTF-8 sequence at `s` (3 bytes, lead E3): -1 when it is not a combining mark libvterm counts as 2
/// columns wide (point 8), 0 for a tone mark U+302A..U+302F, which is dropped, or the last byte of the spacing form
/// that replaces a kana sound mark (U+3099 -> U+309B, U+309A -> U+309C).
static int wide_mark(const unsigned char *s) {
    if (!NSLAB_GUARD_WIDE_MARKS) return -1;
    if (s[1] == 0x82 && (s[2] == 0x99 || s[2] == 0x9a)) return s[2] + 2;
    if (s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xaf) return 0;
    return -1;
}

/// Finishes the sequence held from the previous write with the first bytes of this one; returns how many bytes
/// of `p` it used, or -1 when they all went into the still unfinished sequence.
static long release(VTerm *vt, nslab_vterm_guard *guard, const unsigned char *p, const unsigned char *end) {
    const unsigned char *start = p;
    int need = utf8_length(guard->held[0]);
    while (p < end && guard->heldCount < need && (*p & 0xc0) == 0x80) guard->held[guard->heldCount++] = *p++;
    if (guard->heldCount < need && p == end) return -1;
    int mark = need == 3 && guard->heldCount == 3 && guard->held[0] == 0xe3 ? wide_mark(guard->held) : -1;
    if (mark >= 0) {
        guard->held[2] = (unsigned char)mark;
        if (mark > 0) vterm_input_write(vt, (const char *)guard->held, 3);
        if (guard->state == GROUND) guard->lastGlyphRepeatable = 0;
    } else if (guard->heldCount == need && (!NSLAB_GUARD_C1 || guard->held[0] != 0xc2 || guard->held[1] >= 0xa0)) {
        // One write for the whole character, so the decoder ends it within one call.
        vterm_input_write(vt, (const char *)guard->held, (size_t)need);
        if (guard->state == GROUND) {
            guard->lastGlyphRepeatable = (unsigned char)last_glyph(guard->held, guard->held + need, 0);
        }
    } else if (guard->held[0] != 0xc2) {
        vterm_input_write(vt, "\xef\xbf\xbd", 3); // cut short: what libvterm shows for it
        if (guard->state == GROUND) guard->lastGlyphRepeatable = 0;
    } // else a C1 control written as UTF-8, or an unfinished C2: dropped (point 2)
    guard->heldCount = 0;
    return p - start;
}

// MARK: - Prompt marks

/// The bytes that start a prompt mark.
static const unsigned char mark_prefix[NSLAB_GUARD_HOLD_MAX] = {0x1b, ']', '1', '3', '3', ';'};

/// How many bytes of [p, end) continue the mark prefix after `already` bytes of it; `*complete` is set when they
/// finish it, and the count is short of the rest when a byte differs.
static size_t match_prefix(const unsigned char *p, const unsigned char *end, size_t already, int *complete) {
    size_t n = 0;
    while (already + n < NSLAB_GUARD_HOLD_MAX && p + n < end && p[n] == mark_prefix[already + n]) n++;
    *complete = already + n == NSLAB_GUARD_HOLD_MAX;
    return n;
}

/// Starts reading a mark's payload; libvterm is told to abandon any sequence it was in the middle of (the ESC that
/// started the mark would have abandoned it).
static void begin_mark(VTerm *vt, nslab_vterm_guard *guard, unsigned char from) {
    if (from != GROUND) vterm_input_write(vt, "\x18", 1);
    guard->state = MARK;
    guard->markLength = 0;
    guard->markOverflow = 0;
    guard->markEscape = 0;
}

/// Fills `mark` from the payload read; returns 0 for a payload that is no mark (empty, or too long).
static int finish_mark(nslab_vterm_guard *guard, nslab_prompt_mark *mark) {
    guard->state = GROUND;
    if (guard->markOverflow || guard->markLength == 0) return 0;
    mark->kind = guard->mark[0];
    mark->hasStatus = 0;
    mark->status = 0;
    if (guard->markLength >= 3 && guard->mark[1] == ';') {
        int i = 2, negative = 0;
        long value = 0;
        if (guard->mark[i] == '-') {
            negative = 1;
            i++;
        }
        int digits = 0;
        while (i < guard->markLength && guard->mark[i] >= '0' && guard->mark[i] <= '9') {
            if (value < 999999999) value = value * 10 + (guard->mark[i] - '0');
            i++;
            digits++;
        }
        // A number must fill its parameter: "D;1x" carries no status.
        if (digits > 0 && (i == guard->markLength || guard->mark[i] == ';')) {
            if (value > 999999999) value = 999999999;
            mark->hasStatus = 1;
            mark->status = (int)(negative ? -value : value);
        }
    }
    return 1;
}

enum { MARK_GOES_ON, MARK_DONE, MARK_ABANDONED };

/// Reads payload bytes of a mark from *p; stops after the terminator (MARK_DONE, with `mark` filled when the payload
/// was a mark), before an ESC that abandons the mark (MARK_ABANDONED, state GROUND), or at `end` (MARK_GOES_ON).
static int read_mark(VTerm *vt, nslab_vterm_guard *guard, const unsigned char **p, const unsigned char *end,
                     nslab_prompt_mark *mark, int *reported) {
    const unsigned char *q = *p;
    *reported = 0;
    while (q < end) {
        unsigned char c = *q;
        if (guard->markEscape) {
            guard->markEscape = 0;
            if (c == '\\') {
                *p = q + 1;
                *reported = finish_mark(guard, mark);
                return MARK_DONE;
            }
            // ESC and something else: the mark is abandoned and the ESC starts an escape, which the caller reads.
            guard->state = GROUND;
            guard->hold[0] = 0x1b;
            guard->holdCount = 1;
            guard->holdState = GROUND;
            *p = q;
            return MARK_ABANDONED;
        }
        if (c == 0x07) {
            *p = q + 1;
            *reported = finish_mark(guard, mark);
            return MARK_DONE;
        }
        if (c == 0x1b) {
            guard->markEscape = 1;
        } else if (c == 0x18 || c == 0x1a) {
            guard->state = GROUND; // abandoned, as CAN abandons a string (libvterm, in text, never sees it)
            *p = q + 1;
            return MARK_ABANDONED;
        } else if (c < 0x20) {
            vterm_input_write(vt, (const char *)&c, 1); // executed, as libvterm executes controls in a string
        } else if (c == 0x7f) {
            // ignored, as libvterm ignores it
        } else if (guard->markLength < NSLAB_MARK_PAYLOAD_MAX) {
            guard->mark[guard->markLength++] = c;
        } else {
            guard->markOverflow = 1; // swallowed up to the terminator, like an OSC nobody knows
        }
        q++;
    }
    *p = q;
    return MARK_GOES_ON;
}

// MARK: - Writing

void nslab_guard_cancel(nslab_vterm_guard *guard) {
    // A mark being read and a held beginning of one never reached libvterm, so CAN does not end them: they go on
    // as if they had begun in text (a resize between two reads of a prompt mark must not print its rest).
    if (guard->state != MARK) guard->state = GROUND;
    guard->holdState = GROUND;
}

/// Hands the held beginning of a possible mark to libvterm after it turned out to be no mark, as the state table
/// would have passed it; `next` is the first byte after it. Returns how many bytes of the new write it used.
static size_t release_hold(VTerm *vt, nslab_vterm_guard *guard, const unsigned char *next) {
    unsigned char from = guard->holdState;
    size_t count = guard->holdCount;
    guard->holdCount = 0;
    if (count == 1 && from == STRING && next && *next == '\\') {
        vterm_input_write(vt, "\x1b\\", 2); // ST in one write (point 9)
        guard->state = GROUND;
        return 1;
    }
    if (from == STRING && NSLAB_GUARD_STRING_ESCAPE) vterm_input_write(vt, "\x18", 1); // abandoned (point 9)
    vterm_input_write(vt, (const char *)guard->hold, count);
    guard->state = count == 1 ? ESCAPE : STRING; // "ESC" or "ESC ] 1..": an OSC is under way
    return 0;
}

/// Reads the bytes at *p against a held beginning of a mark: a complete prefix starts the mark, a differing byte
/// hands the held bytes to libvterm. Returns 1 when every byte went into the still unfinished prefix.
static int resolve_hold(VTerm *vt, nslab_vterm_guard *guard, const unsigned char **p, const unsigned char *end) {
    int complete = 0;
    size_t n = match_prefix(*p, end, guard->holdCount, &complete);
    if (complete) {
        guard->holdCount = 0;
        begin_mark(vt, guard, guard->holdState);
        *p += n;
        return 0;
    }
    if (*p + n == end) {
        memcpy(guard->hold + guard->holdCount, *p, n);
        guard->holdCount = (unsigned char)(guard->holdCount + n);
        return 1;
    }
    *p += release_hold(vt, guard, *p);
    return 0;
}

size_t nslab_guard_write(struct VTerm *vt, nslab_vterm_guard *guard, const char *bytes, size_t length,
                         nslab_prompt_mark *mark) {
    const unsigned char *start = (const unsigned char *)bytes;
    const unsigned char *p = start;
    const unsigned char *end = start + length;
    mark->kind = 0;
    if (length == 0) return 0;
    if (guard->holdCount && resolve_hold(vt, guard, &p, end)) return length;
    if (guard->heldCount) {
        long used = release(vt, guard, p, end);
        if (used < 0) return length;
        p += used;
    }
    const unsigned char *pending = p; // first byte not yet handed to libvterm
    const unsigned char *text = p;    // where the current run of printable text began
    while (p < end) {
        if (guard->state == GROUND) {
            // The hot loop: plain text, one table look-up per byte.
            while (p < end && byte_class[*p] < FIRST_SPECIAL) p++;
            if (p == end) break;
        }
        unsigned char c = *p;
        unsigned char state = guard->state;
        transition t = table[state][byte_class[c]];
        switch (t.action) {
        case MARK_BYTE: {
            int reported = 0;
            int result = read_mark(vt, guard, &p, end, mark, &reported);
            pending = text = p;
            if (result == MARK_DONE && reported) return (size_t)(p - start);
            // An ESC that abandoned the mark is read again as a possible start of one.
            if (result == MARK_ABANDONED && guard->holdCount && resolve_hold(vt, guard, &p, end)) return length;
            pending = text = p;
            continue;
        }
        case CONTROL:
            if (NSLAB_GUARD_UTF8) end_text(vt, &pending, text, p);
            p++;
            continue;
        case REPLACEMENT:
            // FE and FF leave an open sequence open in libvterm's decoder, so "E3 80 FF AC" would still be a
            // tone mark (point 8). They show as U+FFFD; the guard writes that instead, which closes the sequence.
            end_text(vt, &pending, text, p);
            flush(vt, &pending, p, p + 1);
            vterm_input_write(vt, "\xef\xbf\xbd", 3);
            p++;
            continue;
        case WIDE_MARK: {
            int spacing = end - p >= 3 ? wide_mark(p) : -1;
            if (spacing >= 0) {
                end_text(vt, &pending, text, p);
                flush(vt, &pending, p, p + 3);
                unsigned char form[3] = {0xe3, 0x82, (unsigned char)spacing};
                if (spacing > 0) vterm_input_write(vt, (const char *)form, 3);
                p += 3;
            } else {
                p++; // any other character: plain text
            }
            continue;
        }
        case C1_CHECK:
            if (p + 1 == end) {
                // Held back until the next write says what follows.
                if (state == GROUND) {
                    end_text(vt, &pending, text, p);
                    guard->lastGlyphRepeatable = (unsigned char)last_glyph(text, p, guard->lastGlyphRepeatable);
                }
                flush(vt, &pending, p, end);
                guard->held[0] = c;
                guard->heldCount = 1;
                return length;
            }
            if (p[1] < 0xa0 || p[1] > 0xbf) {
                if (state == GROUND) end_text(vt, &pending, text, p);
                int pair = p[1] >= 0x80 && p[1] <= 0x9f;
                flush(vt, &pending, p, p + 1 + pair);
                p += 1 + pair;
                continue;
            }
            if (state == GROUND) { // a printable character: plain text
                p++;
                continue;
            }
            break; // passes, and ends a CSI like any byte from 0x30
        case ESCAPE_START: {
            int complete = 0;
            size_t n = match_prefix(p, end, 0, &complete);
            if (complete || p + n == end) {
                if (state == GROUND) {
                    if (NSLAB_GUARD_UTF8) end_text(vt, &pending, text, p);
                    guard->lastGlyphRepeatable = (unsigned char)last_glyph(text, p, guard->lastGlyphRepeatable);
                }
                flush(vt, &pending, p, p + n);
                p += n;
                if (complete) {
                    begin_mark(vt, guard, state);
                    pending = text = p;
                    continue;
                }
                // The write ends inside what may still become a mark (or, for a lone ESC, the end of a string):
                // held back until the next write says which.
                memcpy(guard->hold, p - n, n);
                guard->holdCount = (unsigned char)n;
                guard->holdState = state;
                return length;
            }
            if (state == STRING && NSLAB_GUARD_STRING_ESCAPE && p[1] != '\\') {
                flush(vt, &pending, p, p);
                vterm_input_write(vt, "\x18", 1); // the string is abandoned, as libvterm does (point 9)
            }
            if (state == GROUND) {
                if (NSLAB_GUARD_UTF8) end_text(vt, &pending, text, p);
                guard->lastGlyphRepeatable = (unsigned char)last_glyph(text, p, guard->lastGlyphRepeatable);
            }
            break;
        }
        case CSI_START:
            guard->separators = 0;
            guard->digits = 0;
            guard->csiLeader = 0;
            break;
        case CSI_DIGIT:
            if (guard->separators > MAX_SEPARATORS || ++guard->digits > MAX_DIGITS) {
                flush(vt, &pending, p, p + 1);
                if (guard->digits > MAX_DIGITS) guard->digits = MAX_DIGITS + 1; // never wraps
            }
            break;
        case CSI_SEPARATOR:
            guard->digits = 0;
            if (++guard->separators > MAX_SEPARATORS) {
                flush(vt, &pending, p, p + 1);
                guard->separators = MAX_SEPARATORS + 1;
            }
            break;
        case CSI_LEADER:
            guard->csiLeader = 1;
            break;
        case REP_CHECK:
            if (!guard->lastGlyphRepeatable) {
                flush(vt, &pending, p, p + 1);
                vterm_input_write(vt, "\x18", 1);
            }
            break;
        case MODE_CHECK:
            if (guard->csiLeader) {
                flush(vt, &pending, p + 1, p + 1);
                keep_cursor_on_screen(vt);
            }
            break;
        case CURSOR_CHECK:
            flush(vt, &pending, p + 1, p + 1);
            keep_cursor_on_screen(vt);
            break;
        case CANCEL:
            flush(vt, &pending, p, p + 1);
            vterm_input_write(vt, "\x18", 1);
            break;
        default: // PASS
            break;
        }
        if (t.next != 0xff) guard->state = t.next;
        text = p + 1;
        p++;
    }
    if (guard->state == GROUND && NSLAB_GUARD_UTF8) {
        const unsigned char *lead = unfinished(text > pending ? text : pending, end);
        guard->lastGlyphRepeatable = (unsigned char)last_glyph(text, lead ? lead : end, guard->lastGlyphRepeatable);
        int holdable = lead && end - lead < utf8_length(*lead);
        for (const unsigned char *q = lead; holdable && ++q < end;) holdable = *q < 0xc0;
        if (holdable) {
            // Held back, so libvterm never ends a write inside a character (point 7).
            end_text(vt, &pending, text, lead);
            flush(vt, &pending, lead, end);
            guard->heldCount = (unsigned char)(end - lead);
            memcpy(guard->held, lead, guard->heldCount);
            return length;
        }
        end_text(vt, &pending, text, end); // FE or FF inside: garbage that is not worth holding
    } else if (guard->state == GROUND) {
        guard->lastGlyphRepeatable = (unsigned char)last_glyph(text, end, guard->lastGlyphRepeatable);
    }
    flush(vt, &pending, end, end);
    return length;
}
