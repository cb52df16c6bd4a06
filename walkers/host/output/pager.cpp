// The output pager: mdb_io.c's iob_pager as observed from the outside (the prompt text, the keys,
// how the prompt is erased, when a page ends, what SIGWINCH does), written for our sink model.
#include "mdbsim/host/pager.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "mdbsim/host/errors.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"

namespace mdbsim::host {

volatile std::sig_atomic_t winch_pending = 0;

namespace {

extern "C" void on_sigwinch(int) { winch_pending = 1; }

void write_fd(int fd, std::string_view text) {
    while (!text.empty()) {
        ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        text.remove_prefix(static_cast<size_t>(n));
    }
}

// The key is read with the terminal in non-canonical mode, without echo and without signals, so
// that ^C arrives as a key (mdb reads it the same way) and the typed key does not show.
class RawKeys {
public:
    explicit RawKeys(int fd) : fd_(fd) {
        if (tcgetattr(fd_, &saved_) != 0) return;
        termios raw = saved_;
        raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        ok_ = tcsetattr(fd_, TCSANOW, &raw) == 0;
    }
    ~RawKeys() {
        if (ok_) tcsetattr(fd_, TCSANOW, &saved_);
    }
    RawKeys(const RawKeys&) = delete;
    RawKeys& operator=(const RawKeys&) = delete;

private:
    int fd_;
    termios saved_{};
    bool ok_ = false;
};

constexpr char kCtrlC = 0x03;
constexpr char kCtrlBackslash = 0x1c;

}  // namespace

Pager::Pager(Session& s, Output& out, int out_fd, int key_fd)
    : s_(s), out_(out), out_fd_(out_fd), key_fd_(key_fd) {
    resize();
}

void Pager::resize() {
    winch_pending = 0;
    winsize ws{};
    if (ioctl(out_fd_, TIOCGWINSZ, &ws) != 0) ws = winsize{};
    rows_ = ws.ws_row != 0 ? ws.ws_row : kDefaultRows;
    out_.set_columns(ws.ws_col != 0 ? ws.ws_col : 80);
}

void Pager::clear_lines() {
    lines_ = 0;
    single_ = false;
    continue_ = false;
}

void Pager::write(std::string_view text) {
    while (!text.empty()) {
        if (at_line_start_) {
            if (winch_pending) resize();
            // As mdb: after <cr> the next line stops again; otherwise a page is rows - 1 lines,
            // counted even while paging is off so that turning it on mid-command is coherent.
            if (single_) {
                single_ = false;
                lines_ = 0;
                if (!continue_) page_break();
            } else if (lines_ >= rows_ - 1) {
                lines_ = 0;
                if (s_.settings.pager && !continue_) page_break();
            }
        }
        size_t nl = text.find('\n');
        std::string_view piece = nl == std::string_view::npos ? text : text.substr(0, nl + 1);
        write_fd(out_fd_, piece);
        at_line_start_ = nl != std::string_view::npos;
        if (at_line_start_) ++lines_;
        text.remove_prefix(piece.size());
    }
}

int Pager::read_key() {
    // SIGWINCH is blocked except inside ppoll, so a resize between the check and the wait is not
    // lost: it interrupts the wait.
    sigset_t winch, old;
    sigemptyset(&winch);
    sigaddset(&winch, SIGWINCH);
    sigprocmask(SIG_BLOCK, &winch, &old);
    struct Unblock {
        sigset_t& mask;
        ~Unblock() { sigprocmask(SIG_SETMASK, &mask, nullptr); }
    } unblock{old};
    sigset_t wait_mask = old;
    sigdelset(&wait_mask, SIGWINCH);
    for (;;) {
        if (winch_pending) {
            // mdb: the cursor goes back to column 0; a taller window fills out the page at once,
            // any other size asks again.
            write_fd(out_fd_, "\r");
            int old_rows = rows_;
            resize();
            if (rows_ > old_rows) {
                lines_ = old_rows;
                return -2;
            }
            write_fd(out_fd_, kPrompt);
        }
        pollfd p{key_fd_, POLLIN, 0};
        int r = ppoll(&p, 1, nullptr, &wait_mask);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        unsigned char c;
        ssize_t n = ::read(key_fd_, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n != 1) return -1;
        return c;
    }
}

void Pager::page_break() {
    const std::string erase_back(kPrompt.size(), '\b');
    const std::string blanks(kPrompt.size(), ' ');
    bool quit = false;
    {
        // Keys typed as soon as the prompt shows must already be read raw (a ^C typed to a
        // terminal still in its own mode would be SIGINT, a space would wait for a newline).
        RawKeys raw(key_fd_);
        write_fd(out_fd_, kPrompt);
        for (bool done = false; !done;) {
            int c = read_key();
            switch (c) {
            case -2:  // the window grew: the prompt was already taken back to column 0
                write_fd(out_fd_, blanks + erase_back);
                return;
            case -1:
            case kCtrlC:
            case kCtrlBackslash:
            case 'q':
            case 'Q':
            case 'a':
            case 'A':
                quit = done = true;
                break;
            case 'n':
            case 'N':
            case '\n':
            case '\r':
                single_ = true;
                done = true;
                break;
            case 'c':
            case 'C':
                continue_ = true;
                [[fallthrough]];
            case ' ':
                single_ = false;
                done = true;
                break;
            default:
                break;
            }
        }
    }
    write_fd(out_fd_, erase_back + blanks + erase_back);
    if (quit) {
        clear_lines();
        throw PagerQuit(s_.stop_site());
    }
}

std::shared_ptr<Pager> attach_pager(Session& s, int out_fd, int key_fd) {
    if (!isatty(out_fd) || !isatty(key_fd)) return nullptr;
    struct sigaction sa {};
    sa.sa_handler = on_sigwinch;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGWINCH, &sa, nullptr);
    Output& out = s.out();
    auto pager = std::make_shared<Pager>(s, out, out_fd, key_fd);
    out.redirect([pager](std::string_view text) { pager->write(text); });
    return pager;
}

}  // namespace mdbsim::host
