// mdb's output pager (docs/prompt.md). On a terminal, standard output stops before the line that
// would push the page's first line off the screen and asks with mdb's prompt; the keys are mdb's:
//   <space>        the next page          <cr>, n   one more line
//   c              the rest of this command's output without stopping
//   q, ^C, ^\      drop the rest of the command's output (PagerQuit), the session goes on
//   a              the same here (mdb: abort to the top level, which the prompt already is)
// A page is the terminal's rows minus one, re-read after SIGWINCH; the count starts again with
// every command. `::set +o pager` (Session::Settings::pager) turns the stops off.
#pragma once

#include <csignal>
#include <memory>
#include <string_view>

namespace mdbsim::host {

class Session;
class Output;

class Pager {
public:
    static constexpr std::string_view kPrompt = ">> More [<space>, <cr>, q, n, c, a] ? ";
    static constexpr int kDefaultRows = 24;  // a terminal that does not say (MDB_IOB_DEFROWS)

    // Pages `out` (the session's standard output on a terminal) to out_fd; keys come from key_fd.
    Pager(Session& s, Output& out, int out_fd, int key_fd);

    void write(std::string_view text);  // the sink of the paged Output
    void clear_lines();                 // a new command: a full page before the next stop
    int rows() const { return rows_; }
    // Reads the window size of out_fd: rows for the pager, columns for the Output.
    void resize();

private:
    void page_break();  // the prompt and its keys; throws PagerQuit
    int read_key();     // one byte from key_fd, -1 at end of input; -2 when the window grew

    Session& s_;
    Output& out_;
    int out_fd_;
    int key_fd_;
    int rows_ = kDefaultRows;
    int lines_ = 0;             // lines written since the last stop
    bool at_line_start_ = true;
    bool single_ = false;       // <cr> or n: stop again after one line
    bool continue_ = false;     // c: no more stops in this command
};

// Pages s.out() when out_fd and key_fd are both terminals (null otherwise) and installs the
// SIGWINCH handler. The Pager lives as long as the Output's sink holds it.
std::shared_ptr<Pager> attach_pager(Session& s, int out_fd = 1, int key_fd = 0);

// Set by the SIGWINCH handler attach_pager installs; the pager re-reads the size when it sees it.
extern volatile std::sig_atomic_t winch_pending;

}  // namespace mdbsim::host
