// The interactive prompt on a pseudo-terminal (docs/prompt.md): ^C at the prompt and during
// commands, the pager's keys and page size, and tab completion, each followed by commands that
// show the session is whole.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "pty_harness.hpp"

namespace mdbsim::test {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kMore = ">> More [<space>, <cr>, q, n, c, a] ? ";
const std::string kErase = std::string(kMore.size(), '\b') + std::string(kMore.size(), ' ') +
                           std::string(kMore.size(), '\b');

std::vector<std::string> mdbsim(std::vector<std::string> args) {
    args.insert(args.begin(), MDBSIM_BIN);
    return args;
}

size_t lines(std::string_view text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

// A command typed at the prompt and the prompt after it: the output in between.
std::string command(PtySession& t, std::string_view line) {
    t.type(line);
    t.type("\r");
    t.expect(line);
    return t.expect_prompt();
}

// Output of a format verb without the blanks autowrap pads its last column with.
std::string trimmed(std::string text) {
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
}

TEST(Prompt, CtrlCAtThePromptThrowsTheLineAwayAndTheSessionGoesOn) {
    PtySession t(mdbsim({"--scenario", "minimal"}), 24, 100);
    t.expect("> ");
    command(t, "0t1234>myvar");
    t.type("::walk nosuchwalker");
    t.expect("::walk nosuchwalker");
    t.type("\x03");
    // A new prompt on the next line, and the line was not run.
    std::string between = t.expect("> ");
    EXPECT_EQ(between, "\n");
    t.type("\x03");
    EXPECT_EQ(t.expect("> "), "\n");
    EXPECT_EQ(trimmed(command(t, "<myvar=D")), "\n                1234");
    t.type("::quit\r");
    std::string rest = t.drain(500ms);
    EXPECT_EQ(rest.find("nosuchwalker"), std::string::npos) << rest;
    EXPECT_EQ(t.wait_exit(), 0);
}

TEST(Prompt, CtrlDEndsTheSession) {
    PtySession t(mdbsim({"--scenario", "empty"}), 24, 80);
    t.expect("> ");
    t.type("\x04");
    EXPECT_EQ(t.wait_exit(), 0);
}

TEST(Prompt, CtrlCStopsALongWalkAndTheSessionIsWhole) {
    PtySession t(mdbsim({"--scenario", "spt,size=1G", "--step-budget", "0", "-L", MDBSIM_TEST_DMOD_DIR}), 30, 120);
    t.expect("> ");
    command(t, "0t42>before");
    command(t, "::load hostfaulty");
    command(t, "::set +o pager");
    // Output at every step: stopped at an output line.
    t.type("::walk kvm | ::walk endless\r");
    t.expect("::walk kvm | ::walk endless\n");
    t.expect("\n");  // the walk is printing
    t.send("\x03");
    t.expect("\n> ", 30s);
    // No output at all: stopped at a read (walk_init reads forever).
    t.type("::walk spin_init\r");
    t.expect("::walk spin_init\n");
    t.drain(300ms);
    t.send("\x03");
    EXPECT_EQ(t.expect("> ", 30s), "^C\n");  // the terminal echoes the ^C, mdbsim ends the line
    // Variables, modules and walks are as they were.
    EXPECT_EQ(trimmed(command(t, "<before=D")), "\n                42");
    std::string mods = command(t, "::dmods");
    EXPECT_NE(mods.find("kvm"), std::string::npos) << mods;
    EXPECT_NE(mods.find("hostfaulty"), std::string::npos) << mods;
    EXPECT_EQ(command(t, "::walk kvm | ::walk kvm_mmu_page ! wc -l"), "\n515");
    t.type("::quit\r");
    EXPECT_EQ(t.wait_exit(), 0);
}

// ::dcmds on the minimal scenario prints more than three pages of a 10-row terminal.
class Pager : public ::testing::Test {
protected:
    PtySession t{mdbsim({"--scenario", "minimal"}), 10, 100};
    void SetUp() override { t.expect("> "); }
    // Runs ::dcmds and returns the output before the pager's first stop.
    std::string start() {
        t.type("::dcmds\r");
        t.expect("::dcmds\n");
        return t.expect(kMore);
    }
};

TEST_F(Pager, StopsAfterAPageOfRowsMinusOne) {
    EXPECT_EQ(lines(start()), 9u);
    // <space>: the prompt is erased and the next page follows.
    t.type(" ");
    std::string page = t.expect(kMore);
    EXPECT_TRUE(page.starts_with(kErase)) << page;
    EXPECT_EQ(lines(page), 9u);
    // <cr> and n: one more line each.
    t.type("\r");
    EXPECT_EQ(lines(t.expect(kMore)), 1u);
    t.type("n");
    EXPECT_EQ(lines(t.expect(kMore)), 1u);
    // q: the rest of the output is dropped and the prompt is back at once.
    t.type("q");
    EXPECT_EQ(t.expect("> "), kErase);
    // The next command pages from a full page again.
    EXPECT_EQ(lines(start()), 9u);
    t.type("q");
    t.expect("> ");
}

TEST_F(Pager, CContinuesWithoutStopsAndCtrlCQuits) {
    start();
    t.type("c");
    std::string rest = t.expect("\n> ");
    EXPECT_EQ(rest.find(kMore), std::string::npos);
    EXPECT_GT(lines(rest), 9u);
    start();
    t.type("\x03");
    EXPECT_EQ(t.expect("> "), kErase);
    t.type("a");  // not a pager key here: a line of its own
    t.type("\x03");
    t.expect("> ");
}

TEST_F(Pager, NopagerSwitchesItOff) {
    std::string all = command(t, "::set +o pager");
    EXPECT_EQ(all, "");
    std::string out = command(t, "::dcmds");
    EXPECT_EQ(out.find(kMore), std::string::npos);
    EXPECT_GT(lines(out), 20u);
    command(t, "::set -o pager");
    EXPECT_EQ(lines(start()), 9u);
    t.type("q");
    t.expect("> ");
}

TEST_F(Pager, ATallerWindowFillsOutThePage) {
    EXPECT_EQ(lines(start()), 9u);
    // As mdb: the lines counted so far become the old height, so a window grown from 10 to 14
    // rows gets 3 more lines before the next stop; the new height is a page from then on.
    t.resize(14, 100);
    std::string more = t.expect(kMore);
    EXPECT_EQ(lines(more), 3u) << more;
    t.type(" ");
    EXPECT_EQ(lines(t.expect(kMore)), 13u);
    t.type("q");
    t.expect("> ");
}

TEST(PagerOff, WhenStandardOutputIsNotATerminal) {
    // The line editor does not prompt when its output is not a terminal, either.
    PtySession t({"/bin/sh", "-c", std::string(MDBSIM_BIN) + " --scenario minimal | cat"}, 10, 100);
    t.send("::dcmds\r");  // the terminal keeps the line until mdbsim reads it
    std::string out = t.expect("walkers ");
    EXPECT_EQ(out.find(kMore), std::string::npos);
    EXPECT_GT(lines(out), 20u);
    t.send("::quit\r");
    EXPECT_EQ(t.wait_exit(), 0);
}

TEST(Complete, DcmdAndWalkerNames) {
    PtySession t(mdbsim({"--scenario", "minimal"}), 30, 100);
    t.expect("> ");
    // One match: completed in place.
    t.type("::walk kvm_vc\t");
    t.expect("::walk kvm_vcpu");
    t.type("\x03");
    t.expect("> ");
    // ::wal<TAB> inserts what walk and walkers share and lists both.
    t.type("::wal\t");
    std::string list = t.expect("> ::walk");
    EXPECT_NE(list.find("\nwalk\nwalkers\n"), std::string::npos) << list;
    t.type("\x03");
    t.expect("> ");
    // ::walk kvm<TAB> lists the kvm walkers.
    t.type("::walk kvm\t");
    std::string walkers = t.expect("> ::walk kvm");
    for (const char* w : {"\nkvm\n", "\nkvm_mmu_page\n", "\nkvm_vcpu\n", "\nkvm_memory_slot\n"})
        EXPECT_NE(walkers.find(w), std::string::npos) << w << " in " << walkers;
    // The completed line runs as typed.
    t.type("\x03");
    t.expect("> ");
    t.type("::walk kvm | ::walk kvm_vc\t");
    t.expect("::walk kvm_vcpu");
    EXPECT_EQ(command(t, " ! wc -l"), "\n1");
    t.type("::quit\r");
    EXPECT_EQ(t.wait_exit(), 0);
}

TEST(Prompt, SetPChangesThePromptBeforeTheNextRead) {
    PtySession t(mdbsim({"--scenario", "empty"}), 24, 80);
    t.expect("> ");
    t.type("::set -P \"kvm[1]> \"\r");
    t.expect("kvm[1]> ");
    t.type("0t5=D\r");
    t.expect("5");
    t.expect("kvm[1]> ");
    t.type("$P \"> \"\r");
    t.expect("\n> ");
    t.type("\x04");
    EXPECT_EQ(t.wait_exit(), 0);
}

}  // namespace
}  // namespace mdbsim::test
