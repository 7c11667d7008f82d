#ifndef CNCURSES_H
#define CNCURSES_H
// ncursesw, wide-character build, with the macros Swift cannot see turned into functions.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>

// Screen size (COLS/LINES are mutable globals Swift 6 refuses).
int cockpit_cols(void);
int cockpit_lines(void);

// Attributes (A_* are macros).
int cockpit_attr_bold(void);
int cockpit_attr_reverse(void);
int cockpit_attr_dim(void);
int cockpit_attr_underline(void);
int cockpit_colors(void);
// Makes the next refresh repaint the whole screen.
void cockpit_invalidate(void);
/* Ctrl-C, Ctrl-\ and Ctrl-Z arrive as keys instead of signals (walls: no key may end them). */
void cockpit_keys_only(void);
/* Returns freed heap to the system (glibc malloc_trim): start-up garbage is not kept for days. */
void cockpit_trim_heap(void);

// Start curses on the terminal; returns 0 on success, -1 if the terminal cannot be used.
int cockpit_start(int escdelay_ms);
void cockpit_stop(void);

// Draws UTF-8 text at (y, x) with attributes and colour pair; never moves past the line.
int cockpit_put(int y, int x, const char *utf8, int attrs, short pair);

// Reads one key within timeout_ms: 0 = none, 1 = a character in *ch, 2 = a key code in *ch.
int cockpit_read_key(int timeout_ms, unsigned int *ch);

// The position of a left click after KEY_MOUSE: 1 if there was one.
int cockpit_read_mouse(int *x, int *y);

// Signals: SIGINT, SIGTERM, SIGHUP, SIGQUIT set a flag the main loop reads (async-signal-safe);
// SIGTSTP restores the terminal before stopping, SIGCONT redraws.
void cockpit_install_signal_handlers(void);
int cockpit_take_signal(void);   // returns the last signal number and clears it, 0 if none
int cockpit_take_continued(void); // 1 if the process was resumed after SIGTSTP since the last call

#endif
