#include "pty_harness.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace mdbsim::test {

PtySession::PtySession(const std::vector<std::string>& argv, int rows, int cols) {
    winsize ws{};
    ws.ws_row = static_cast<unsigned short>(rows);
    ws.ws_col = static_cast<unsigned short>(cols);
    pid_ = forkpty(&master_, nullptr, nullptr, &ws);
    if (pid_ == 0) {
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        setenv("TERM", "xterm", 1);
        unsetenv("MDBSIM_MODPATH");
        execv(args[0], args.data());
        _exit(127);
    }
    if (pid_ < 0) ADD_FAILURE() << "forkpty failed: " << std::strerror(errno);
}

PtySession::~PtySession() {
    if (pid_ > 0) {
        int status;
        if (waitpid(pid_, &status, WNOHANG) == 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
        }
    }
    if (master_ >= 0) close(master_);
}

void PtySession::send(std::string_view keys) {
    while (!keys.empty()) {
        ssize_t n = write(master_, keys.data(), keys.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            ADD_FAILURE() << "write to the terminal failed: " << std::strerror(errno);
            return;
        }
        keys.remove_prefix(static_cast<size_t>(n));
    }
}

bool PtySession::raw_mode() const {
    termios tio{};
    return tcgetattr(master_, &tio) == 0 && !(tio.c_lflag & (ICANON | ISIG));
}

std::string PtySession::expect_prompt(std::string_view prompt) {
    std::string before;
    for (;;) {
        before += expect(prompt);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (text_.size() == pos_ && !raw_mode() && std::chrono::steady_clock::now() < deadline)
            read_some(std::chrono::milliseconds(5));
        if (text_.size() == pos_ && raw_mode()) {
            // Output written just before the mode changed is read before deciding.
            read_some(std::chrono::milliseconds(20));
            if (text_.size() == pos_) return before;
        }
        if (std::chrono::steady_clock::now() >= deadline) return before;
        before += prompt;
    }
}

void PtySession::type(std::string_view keys) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    for (;;) {
        if (raw_mode()) break;
        if (std::chrono::steady_clock::now() >= deadline) {
            ADD_FAILURE() << "the terminal never left its canonical mode";
            break;
        }
        read_some(std::chrono::milliseconds(5));
    }
    send(keys);
}

std::string PtySession::clean(std::string_view raw) {
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '\r') continue;
        if (c != '\x1b') {
            out += c;
            continue;
        }
        if (i + 1 < raw.size() && raw[i + 1] == '[') {  // CSI: parameters, then a final byte
            i += 2;
            while (i < raw.size() && !(raw[i] >= 0x40 && raw[i] <= 0x7e)) ++i;
        } else if (i + 1 < raw.size() && raw[i + 1] == ']') {  // OSC: up to BEL or ST
            i += 2;
            while (i < raw.size() && raw[i] != '\a' && raw[i] != '\x1b') ++i;
            if (i < raw.size() && raw[i] == '\x1b') ++i;
        } else {
            ++i;  // a two-byte sequence (ESC =, ESC >, ...)
        }
    }
    return out;
}

bool PtySession::read_some(std::chrono::milliseconds timeout) {
    pollfd p{master_, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(timeout.count()));
    if (r <= 0) return false;
    char buf[4096];
    ssize_t n = read(master_, buf, sizeof buf);
    if (n <= 0) return false;  // EIO: the program has ended
    raw_pending_.append(buf, static_cast<size_t>(n));
    // Keep an escape sequence that may be cut short for the next read.
    size_t keep = raw_pending_.rfind('\x1b');
    if (keep != std::string::npos && raw_pending_.size() - keep < 16) {
        std::string tail = raw_pending_.substr(keep);
        bool complete = tail.size() >= 2 && (tail[1] != '[' || (tail.size() > 2 && tail.back() >= 0x40 && tail.back() <= 0x7e));
        if (!complete) {
            text_ += clean(std::string_view(raw_pending_).substr(0, keep));
            raw_pending_ = tail;
            return true;
        }
    }
    text_ += clean(raw_pending_);
    raw_pending_.clear();
    return true;
}

std::string PtySession::expect(std::string_view text, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        size_t at = text_.find(text, pos_);
        if (at != std::string::npos) {
            std::string before = text_.substr(pos_, at - pos_);
            pos_ = at + text.size();
            return before;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || (!read_some(left) && std::chrono::steady_clock::now() >= deadline)) {
            std::string got = text_.substr(pos_);
            ADD_FAILURE() << "timed out waiting for \"" << text << "\"; the terminal shows:\n" << got;
            pos_ = text_.size();
            return got;
        }
    }
}

std::string PtySession::drain(std::chrono::milliseconds quiet) {
    while (read_some(quiet)) {
    }
    std::string got = text_.substr(pos_);
    pos_ = text_.size();
    return got;
}

void PtySession::resize(int rows, int cols) {
    winsize ws{};
    ws.ws_row = static_cast<unsigned short>(rows);
    ws.ws_col = static_cast<unsigned short>(cols);
    ioctl(master_, TIOCSWINSZ, &ws);  // the terminal sends SIGWINCH to the program
}

int PtySession::wait_exit(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status;
        pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            pid_ = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        read_some(std::chrono::milliseconds(50));  // keep the terminal drained
    }
    return -1;
}

}  // namespace mdbsim::test
