#include "CNCurses.h"
#include <signal.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>

int cockpit_cols(void) { return COLS; }
int cockpit_lines(void) { return LINES; }
int cockpit_attr_bold(void) { return A_BOLD; }
int cockpit_attr_reverse(void) { return A_REVERSE; }
int cockpit_attr_dim(void) { return A_DIM; }
int cockpit_attr_underline(void) { return A_UNDERLINE; }

static volatile sig_atomic_t pending_signal = 0;
static volatile sig_atomic_t continued = 0;
static int started = 0;

int cockpit_start(int escdelay_ms) {
    if (initscr() == NULL) return -1;
    started = 1;
    set_escdelay(escdelay_ms);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    leaveok(stdscr, TRUE);
    curs_set(0);
    // Clicks select and drill; nothing else of the mouse is asked for.
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
    mouseinterval(0);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    return 0;
}

void cockpit_stop(void) {
    if (started) {
        curs_set(1);
        endwin();
        started = 0;
    }
}

int cockpit_put(int y, int x, const char *utf8, int attrs, short pair) {
    wattr_set(stdscr, (attr_t)attrs, pair, NULL);
    return mvwaddstr(stdscr, y, x, utf8);
}

int cockpit_read_key(int timeout_ms, unsigned int *ch) {
    wtimeout(stdscr, timeout_ms);
    wint_t wch = 0;
    int rc = wget_wch(stdscr, &wch);
    if (rc == ERR) return 0;
    *ch = (unsigned int)wch;
    return rc == KEY_CODE_YES ? 2 : 1;
}

static void on_signal(int sig) { pending_signal = sig; }

static void on_tstp(int sig) {
    (void)sig;
    // Give the terminal back before stopping; SIGCONT sets `continued` so the loop repaints.
    if (started) endwin();
    signal(SIGTSTP, SIG_DFL);
    raise(SIGTSTP);
}

static void on_cont(int sig) {
    (void)sig;
    continued = 1;
    signal(SIGTSTP, on_tstp);
}

void cockpit_install_signal_handlers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTSTP, on_tstp);
    signal(SIGCONT, on_cont);
}

int cockpit_take_signal(void) {
    int s = pending_signal;
    pending_signal = 0;
    return s;
}

int cockpit_take_continued(void) {
    int c = continued;
    continued = 0;
    return c;
}

int cockpit_colors(void) { return COLORS; }
void cockpit_invalidate(void) { clearok(curscr, TRUE); }

void cockpit_keys_only(void) { raw(); }

void cockpit_trim_heap(void) { malloc_trim(0); }

int cockpit_read_mouse(int *x, int *y) {
    MEVENT ev;
    if (getmouse(&ev) != OK) return 0;
    if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))) return 0;
    *x = ev.x;
    *y = ev.y;
    return 1;
}
