// mdbsim on a pseudo-terminal, driven as a user would: keys in, the terminal's output read back
// until an expected text appears (with a generous timeout, so results do not depend on speed).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace mdbsim::test {

class PtySession {
public:
    // Runs argv[0] (a path) with the rest as arguments on a new terminal of rows x cols.
    PtySession(const std::vector<std::string>& argv, int rows, int cols);
    ~PtySession();
    PtySession(const PtySession&) = delete;
    PtySession& operator=(const PtySession&) = delete;

    // Sends keys at once: ^C to a running command, say.
    void send(std::string_view keys);
    // Sends keys once the terminal is in a line editor's or the pager's mode (not canonical, no
    // signals from keys), as a user who waits for the prompt does: a key typed in the moment
    // between the prompt's text and that mode would be taken by the terminal's own line
    // discipline.
    void type(std::string_view keys);
    // Reads until `text` appears after the read position; returns the output before it (escape
    // sequences and carriage returns removed) and moves the position past it. Fails the test
    // and returns what was read when the timeout passes first.
    std::string expect(std::string_view text, std::chrono::milliseconds timeout = std::chrono::seconds(60));
    // expect(prompt) for the prompt itself, not the same text inside a command's output: it is
    // the prompt when the terminal then waits in the line editor's mode with nothing more to
    // show.
    std::string expect_prompt(std::string_view prompt = "\n> ");
    // Reads for `quiet` and returns what arrived (nothing expected to arrive).
    std::string drain(std::chrono::milliseconds quiet);
    void resize(int rows, int cols);
    // Waits for the program to end; its exit status, or -1 after a timeout or a signal.
    int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(30));

    // Terminal output with escape sequences and carriage returns removed.
    static std::string clean(std::string_view raw);

private:
    bool raw_mode() const;  // the line editor or the pager is reading keys
    bool read_some(std::chrono::milliseconds timeout);

    int master_ = -1;
    pid_t pid_ = -1;
    std::string text_;  // clean output so far
    std::string raw_pending_;  // an escape sequence cut by a read
    size_t pos_ = 0;
};

}  // namespace mdbsim::test
