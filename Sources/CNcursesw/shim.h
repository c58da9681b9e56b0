#ifndef RIFFLE_CNCURSESW_SHIM_H
#define RIFFLE_CNCURSESW_SHIM_H
// Wide-character ncurses: braille and block glyphs need the cchar_t/wchar_t calls.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <signal.h>
#include <unistd.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

// C globals and function-like macros do not import into Swift (and globals trip strict
// concurrency), so each one the studio needs gets a static inline wrapper here.
static inline WINDOW *riffle_stdscr(void) { return stdscr; }
static inline int riffle_cols(void) { return COLS; }
static inline int riffle_lines(void) { return LINES; }
static inline int riffle_colors(void) { return COLORS; }
static inline int riffle_color_pair(int pair) { return (int)COLOR_PAIR(pair); }
static inline int riffle_key_f(int n) { return KEY_F(n); }
static inline attr_t riffle_a_bold(void) { return A_BOLD; }
static inline attr_t riffle_a_reverse(void) { return A_REVERSE; }
static inline attr_t riffle_a_dim(void) { return A_DIM; }
static inline attr_t riffle_a_underline(void) { return A_UNDERLINE; }
static inline void riffle_getmaxyx(WINDOW *window, int *rows, int *cols) {
    int y, x;
    getmaxyx(window, y, x);
    *rows = y;
    *cols = x;
}

// Bracketed paste (xterm's mode 2004): the terminal wraps a paste in ESC [200~ … ESC [201~, so the
// studio takes it as one paste instead of thousands of keys (and a pasted newline does not generate).
// ncurses has no call for the mode, so the sequences are written to the terminal directly; write(2)
// because the fatal-signal handler below turns the mode off too.
static inline void riffle_bracketed_paste(int on) {
    const char *sequence = on ? "\033[?2004h" : "\033[?2004l";
    ssize_t written = write(STDOUT_FILENO, sequence, 8);
    (void)written;
}

// Mouse reporting: presses, releases and drags (modes 1000 and 1002) in xterm's SGR encoding (1006),
// ESC [ < button ; column ; row M (m on release), which has no limit on the column and says which
// button was released. Decoded by the studio itself (InputAssembler), so it works whatever the
// terminfo entry's kmous says; turned off on exit and on fatal signals like the paste mode.
static inline void riffle_mouse_reporting(int on) {
    const char *sequence = on ? "\033[?1000h\033[?1002h\033[?1006h" : "\033[?1006l\033[?1002l\033[?1000l";
    ssize_t written = write(STDOUT_FILENO, sequence, 24);
    (void)written;
}

// Key codes of our own, past ncurses' KEY_MAX, for define_key: the start and end of a paste, and
// the start of an SGR mouse report.
static inline int riffle_key_paste_start(void) { return KEY_MAX + 1; }
static inline int riffle_key_paste_end(void) { return KEY_MAX + 2; }
static inline int riffle_key_mouse_start(void) { return KEY_MAX + 3; }
static inline int riffle_key_mouse(void) { return KEY_MOUSE; }

// A crash must not leave the terminal raw and invisible: on a fatal signal the screen is restored
// and the signal raised again with its default action (so a core dump or exit status still
// happens). Written in C because a signal handler must not run Swift code.
static void riffle_restore_and_reraise(int sig) {
    endwin();
    riffle_bracketed_paste(0);
    riffle_mouse_reporting(0);
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void riffle_restore_terminal_on_fatal_signals(void) {
    const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGTERM, SIGHUP, SIGQUIT };
    for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++) signal(fatal[i], riffle_restore_and_reraise);
}
#endif
