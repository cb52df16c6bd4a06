// The interactive prompt (docs/prompt.md): libedit's line editor with mdb's ^C, Tab and pager.
//
// While a line is edited the terminal sends ^C as a key (libedit's edit mode with `-isig`), bound
// here to clearing the line as mdb's termio does; while a command runs the terminal is back in
// its own mode, so ^C is SIGINT and stops the command (Session). Tab runs the host's completion.
#include "prompt.hpp"

#include <histedit.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "mdbsim/host/complete.hpp"
#include "mdbsim/host/errors.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/pager.hpp"
#include "mdbsim/host/session.hpp"

namespace mdbsim::cli {
namespace {

using host::Session;

constexpr int kHistoryLength = 128;  // MDB_DEF_HISTLEN

struct PromptState {
    Session* session = nullptr;
    host::Pager* pager = nullptr;
    bool interrupted = false;  // ^C at the prompt: the line is thrown away
};

PromptState* state_of(EditLine* el) {
    void* data = nullptr;
    el_get(el, EL_CLIENTDATA, &data);
    return static_cast<PromptState*>(data);
}

// $P and ::set -P change it between reads.
const char* prompt_text(EditLine* el) { return state_of(el)->session->settings.prompt.c_str(); }

unsigned char on_interrupt(EditLine* el, int) {
    state_of(el)->interrupted = true;
    return CC_NEWLINE;
}

// Lists the matches as mdb does, one per line, through standard output (so the pager applies
// to a long list and `q` ends it), then libedit redraws the prompt and the line below.
void list_matches(PromptState& st, const host::Completion& c) {
    Session& s = *st.session;
    if (st.pager != nullptr) st.pager->clear_lines();
    s.begin_command();
    try {
        s.out().newline();
        for (const std::string& m : c.matches) {
            s.out().puts(m);
            s.out().newline();
        }
        s.out().flush();
    } catch (const host::CommandAbort&) {
        s.out().reset();
    }
    s.end_command();
}

unsigned char on_tab(EditLine* el, int) {
    PromptState& st = *state_of(el);
    const LineInfo* li = el_line(el);
    std::string before(li->buffer, static_cast<size_t>(li->cursor - li->buffer));
    host::Completion c = host::complete(*st.session, before);
    if (c.matches.empty()) return CC_REFRESH_BEEP;
    std::string add = c.insertion();
    if (!add.empty() && el_insertstr(el, add.c_str()) != 0) return CC_ERROR;
    if (c.matches.size() == 1) return CC_REFRESH;
    // The terminal's own output mode for the list (libedit's edit mode may not map \n to \r\n).
    el_set(el, EL_PREP_TERM, 0);
    list_matches(st, c);
    el_set(el, EL_PREP_TERM, 1);
    return CC_REDISPLAY;
}

}  // namespace

int run_prompt(Session& s) {
    std::shared_ptr<host::Pager> pager = host::attach_pager(s, STDOUT_FILENO, STDIN_FILENO);
    PromptState st;
    st.session = &s;
    st.pager = pager.get();

    EditLine* el = el_init("mdbsim", stdin, stdout, stderr);
    if (el == nullptr) {
        std::fprintf(stderr, "mdbsim: cannot start the line editor\n");
        return 1;
    }
    History* hist = history_init();
    HistEvent ev;
    history(hist, &ev, H_SETSIZE, kHistoryLength);
    history(hist, &ev, H_SETUNIQUE, 1);
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_HIST, history, hist);
    el_set(el, EL_PROMPT, prompt_text);
    el_set(el, EL_CLIENTDATA, &st);
    el_set(el, EL_SIGNAL, 1);  // libedit follows SIGWINCH (and restores the terminal on signals)
    el_set(el, EL_SETTY, "-d", "-isig", nullptr);
    // The wide call: libedit 3.1's narrow EL_ADDFN copies the name and help with wcsdup and never
    // frees them (LeakSanitizer reports it at exit).
    el_wset(el, EL_ADDFN, L"mdb-interrupt", L"throw the line away (^C)", on_interrupt);
    el_set(el, EL_BIND, "^C", "mdb-interrupt", nullptr);
    el_wset(el, EL_ADDFN, L"mdb-complete", L"complete the word before the cursor", on_tab);
    el_set(el, EL_BIND, "^I", "mdb-complete", nullptr);

    int status = 0;
    try {
        for (;;) {
            s.run_prompt_callbacks();
            int count = 0;
            const char* raw = el_gets(el, &count);
            if (st.interrupted) {
                // As mdb: the line stays on the screen as typed and a new prompt starts below.
                st.interrupted = false;
                std::fputs("\n", stdout);
                std::fflush(stdout);
                continue;
            }
            if (raw == nullptr || count <= 0) {
                std::fputc('\n', stdout);
                break;
            }
            std::string line(raw, static_cast<size_t>(count));
            if (line.find_first_not_of(" \t\n") != std::string::npos) {
                std::string entry = line;
                if (!entry.empty() && entry.back() == '\n') entry.pop_back();
                history(hist, &ev, H_ENTER, entry.c_str());
            }
            if (line.empty() || line.back() != '\n') line += '\n';
            if (pager) pager->clear_lines();
            s.run(line, Session::InputKind::terminal, "<stdin>");
        }
    } catch (const host::QuitRequest& q) {
        status = q.status;
    }
    el_end(el);
    history_end(hist);
    std::fflush(stdout);
    return status;
}

}  // namespace mdbsim::cli
