// ncursesw with wide characters, plus the few C helpers Swift cannot express.
//
// NCURSES_WIDECHAR must be set before the header, or cchar_t, add_wch and get_wch are missing.
// ncurses' globals (stdscr, COLS, LINES, COLORS, COLOR_PAIRS) are mutable C globals Swift 6 rejects as
// not concurrency-safe, and the A_* and mouse macros are not imported: each gets a tiny function here.
// Only Sources/Dashboard/Terminal/NcursesBackend.swift calls these.
#ifndef NSLAB_CNCURSES_SHIM_H
#define NSLAB_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// From <ncursesw/term.h>, declared here rather than included: that header also defines hundreds of macros
// named like ordinary words (lines, columns, tab, bell) that would rewrite the rest of this file.
struct term;
extern int setupterm(const char *term, int fd, int *errret);
extern struct term *set_curterm(struct term *term);
extern int del_curterm(struct term *term);

/// Whether terminfo's entry for $TERM can show the dashboard, asked before newterm so that a refusal leaves
/// the terminal exactly as it was: 1 yes; 0 it cannot place the cursor anywhere (no `cup`, as dumb, or a
/// hardcopy type); -1 terminfo has no entry for it, or only a generic one (setupterm cannot tell these two
/// apart). setupterm only reads the database and the tty's modes and size; the entry it loads is freed again.
static inline int nslab_terminal_can_address_cursor(void) {
    int status = 0;
    if (setupterm(NULL, STDOUT_FILENO, &status) != OK) return status == 1 ? 0 : -1;  // 1: hardcopy
    char *cup = tigetstr("cup");
    int usable = tigetflag("hc") <= 0 && tigetflag("gn") <= 0 && cup != NULL && cup != (char *)-1 && cup[0] != 0;
    del_curterm(set_curterm(NULL));
    return usable;
}

/// newterm on the process's stdout/stdin (FILE globals Swift 6 cannot touch); NULL for an unknown TERM.
static inline SCREEN *nslab_newterm(void) { return newterm(NULL, stdout, stdin); }

static inline WINDOW *nslab_stdscr(void) { return stdscr; }
static inline int nslab_cols(void) { return COLS; }
static inline int nslab_lines(void) { return LINES; }
static inline int nslab_colors(void) { return COLORS; }
static inline int nslab_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t nslab_a_normal(void) { return A_NORMAL; }
static inline attr_t nslab_a_bold(void) { return A_BOLD; }
static inline attr_t nslab_a_dim(void) { return A_DIM; }
static inline attr_t nslab_a_underline(void) { return A_UNDERLINE; }
static inline attr_t nslab_a_reverse(void) { return A_REVERSE; }
static inline attr_t nslab_a_italic(void) { return A_ITALIC; }

/// The mouse events the dashboard asks for: clicks of any button and the wheel.
static inline mmask_t nslab_mouse_mask(void) {
    return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON2_PRESSED | BUTTON3_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
           | BUTTON5_PRESSED
#endif
        ;
}

/// Classifies a mouse state: 1 left click, 2 other click, 3 wheel up, 4 wheel down, 0 anything else.
static inline int nslab_mouse_kind(mmask_t state) {
    if (state & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 1;
    if (state & BUTTON4_PRESSED) return 3;
#ifdef BUTTON5_PRESSED
    if (state & BUTTON5_PRESSED) return 4;
#endif
    if (state & (BUTTON2_PRESSED | BUTTON3_PRESSED)) return 2;
    return 0;
}

/// Draws one cell: up to CCHARW_MAX-1 wide chars of a grapheme, attributes and an extended colour pair.
static inline int nslab_put_cell(int y, int x, const wchar_t *text, attr_t attrs, int pair) {
    cchar_t cell;
    // The extended pair goes through the opts pointer; the short argument only holds pairs below 32768.
    if (setcchar(&cell, text, attrs, 0, &pair) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

/// 1 when the locale (set from the environment) encodes text as UTF-8; otherwise (LANG=C, a Latin-1 locale) the
/// dashboard draws ASCII only (Screen/AsciiFallback.swift).
static inline int nslab_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && strcmp(codeset, "UTF-8") == 0;
}

/// Draws the line-drawing character ncurses' ACS table names with `letter` (`q` horizontal, `x` vertical, `l`
/// upper left ...): in the terminal's alternate character set where terminfo's `acsc` has it, else the ASCII
/// ncurses puts in the table instead (`+ - |`).
static inline int nslab_put_line(int y, int x, unsigned char letter, attr_t attrs, int pair) {
    chtype acs = NCURSES_ACS(letter);
    wchar_t text[2] = {(wchar_t)(acs & A_CHARTEXT), 0};
    if (text[0] == 0) text[0] = '+';
    cchar_t cell;
    if (setcchar(&cell, text, attrs | (acs & A_ALTCHARSET), 0, &pair) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

// ---- Restoring the terminal after a crash -------------------------------------------------------------
//
// The Swift runtime's own crash handler (the backtracer) would print into the alternate screen and leave
// the tty raw. This one-shot handler runs first: it puts back the saved termios, switches mouse
// reporting off, leaves the alternate screen and shows the cursor, all with async-signal-safe calls,
// then calls the previous handler so the runtime still reports the crash, and dies of the signal.

// The state lives in function-local statics: file-scope tentative definitions in a module header are not
// emitted by Swift's Clang importer (the link fails), while a static inline function's statics are.
static inline struct termios *nslab_saved_termios_storage(void) {
    static struct termios saved;
    return &saved;
}
static inline int *nslab_saved_termios_valid(void) {
    static int valid = 0;
    return &valid;
}
static inline struct sigaction *nslab_previous_action(int sig) {
    static struct sigaction previous[65];
    return &previous[sig & 63];
}

static inline void nslab_restore_terminal_now(void) {
    static const char restore[] =
        "\033[?1000l\033[?1002l\033[?1003l\033[?1006l"  // mouse reporting off
        "\033[0m\033[?1049l\033[?25h"                    // plain colours, main screen, cursor shown
        "\033[?1l\033>\r\n";                             // cursor keys and keypad back to normal mode
    ssize_t ignored = write(STDOUT_FILENO, restore, sizeof restore - 1);
    (void)ignored;
    if (*nslab_saved_termios_valid()) tcsetattr(STDIN_FILENO, TCSANOW, nslab_saved_termios_storage());
}

/// What the crash handler runs before it gives the terminal back (the children's sessions are killed there):
/// an async-signal-safe C function, or NULL.
static inline void (**nslab_crash_cleanup(void))(void) {
    static void (*cleanup)(void) = NULL;
    return &cleanup;
}

/// Sets the crash handler's cleanup (see nslab_crash_cleanup).
static inline void nslab_set_crash_cleanup(void (*_Nullable cleanup)(void)) { *nslab_crash_cleanup() = cleanup; }

static inline void nslab_crash_handler(int sig, siginfo_t *info, void *context) {
    int saved_errno = errno;
    // The children's shells die with nslab (their death signal), but their background jobs would live on.
    if (*nslab_crash_cleanup() != NULL) (*nslab_crash_cleanup())();
    nslab_restore_terminal_now();
    struct sigaction *previous = nslab_previous_action(sig);
    sigaction(sig, previous, NULL);
    // Let the previous handler (the Swift runtime's backtracer) report a real fault, with its original
    // info and context, now that the screen is readable again. A signal sent with kill (si_code <= 0) is
    // no fault of ours: skip the backtracer, whose interactive prompt would hold the tty for 30 s.
    if (info != NULL && info->si_code <= 0) {
        // nothing to report
    } else if (previous->sa_flags & SA_SIGINFO) {
        if (previous->sa_sigaction) previous->sa_sigaction(sig, info, context);
    } else if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN) {
        previous->sa_handler(sig);
    }
    // Whatever it did, a crash ends the process: a handler that returns (as after `kill -SEGV`) would
    // otherwise let nslab carry on with its terminal given back.
    signal(sig, SIG_DFL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, sig);
    sigprocmask(SIG_UNBLOCK, &only, NULL);
    errno = saved_errno;
    raise(sig);
}

/// Saves the current tty modes (call before initscr) for the crash handler to put back.
static inline int nslab_save_termios(void) {
    if (tcgetattr(STDIN_FILENO, nslab_saved_termios_storage()) != 0) return -1;
    *nslab_saved_termios_valid() = 1;
    return 0;
}

/// Installs the one-shot terminal-restoring handler for SIGSEGV, SIGABRT, SIGILL, SIGBUS, SIGFPE and SIGTRAP.
static inline int nslab_install_crash_handlers(void) {
    static const int signals[] = {SIGSEGV, SIGABRT, SIGILL, SIGBUS, SIGFPE, SIGTRAP};
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = nslab_crash_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_ONSTACK;
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        if (sigaction(signals[i], &action, nslab_previous_action(signals[i])) != 0) return -1;
    }
    return 0;
}

/// Puts the previous crash handlers back (after the terminal was restored normally).
static inline void nslab_remove_crash_handlers(void) {
    static const int signals[] = {SIGSEGV, SIGABRT, SIGILL, SIGBUS, SIGFPE, SIGTRAP};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        sigaction(signals[i], nslab_previous_action(signals[i]), NULL);
    }
}

// ---- The event loop's signal pipe ------------------------------------------------------------------------
//
// A handler may only call async-signal-safe functions, which rules out Swift code: it writes the
// signal number as one byte to a non-blocking pipe that the event loop polls.

static inline int *nslab_signal_pipe_fd(void) {
    static int fd = -1;
    return &fd;
}

static inline void nslab_signal_to_pipe(int sig) {
    int saved_errno = errno;
    unsigned char byte = (unsigned char)sig;
    if (*nslab_signal_pipe_fd() >= 0) {
        ssize_t ignored = write(*nslab_signal_pipe_fd(), &byte, 1);  // a full pipe drops it: one wake-up is enough
        (void)ignored;
    }
    errno = saved_errno;
}

/// Routes `sig` to the pipe's write end `fd` (the same fd for every signal).
static inline int nslab_route_signal_to_pipe(int sig, int fd) {
    *nslab_signal_pipe_fd() = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = nslab_signal_to_pipe;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return sigaction(sig, &action, NULL);
}

/// Gives `sig` its default action back.
static inline int nslab_reset_signal(int sig) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    return sigaction(sig, &action, NULL);
}
#endif
