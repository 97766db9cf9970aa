// ncursesw with wide characters. NCURSES_WIDECHAR must be set before the header, or cchar_t,
// add_wch and get_wch are missing.
#ifndef NSLAB_CNCURSES_SHIM_H
#define NSLAB_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#endif
