// How dcmds are invoked (modapi.md §9.1, §16.5, §16.7): flags and addresses per form, loops and
// their increment, pipelines, the empty-pipe rule, repeat of the previous command, statuses.
#include "lang_fixture.hpp"

namespace mdbsim::host::langtest {
namespace {

constexpr unsigned A = DCMD_ADDRSPEC, L = DCMD_LOOP, LF = DCMD_LOOPFIRST, P = DCMD_PIPE, PO = DCMD_PIPE_OUT;

struct FlagCase {
    const char* input;
    std::vector<Call> expected;
};

class InvocationFlags : public LangTest, public ::testing::WithParamInterface<FlagCase> {};

TEST_P(InvocationFlags, MatchTable) {
    s().dot = 0x500;
    ASSERT_EQ(h.run(GetParam().input), 0) << GetParam().input << ": " << h.take_err();
    EXPECT_EQ(calls(), GetParam().expected) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(Section9_1, InvocationFlags, ::testing::Values(
    FlagCase{"::rec", {{"rec", 0x500, 0}}},
    FlagCase{"1234::rec", {{"rec", 0x1234, A}}},
    FlagCase{"1234,3::rec", {{"rec", 0x1234, A | L | LF}, {"rec", 0x1234, A | L}, {"rec", 0x1234, A | L}}},
    FlagCase{",2::rec", {{"rec", 0x500, L | LF}, {"rec", 0x500, L}}},
    FlagCase{"1234,0::rec", {}},
    FlagCase{"1234,1::rec", {{"rec", 0x1234, A | L | LF}}},
    FlagCase{"::gen 3 | ::rec",
             {{"gen", 0x500, PO}, {"rec", 0x100, A | L | LF | P}, {"rec", 0x200, A | L | P}, {"rec", 0x300, A | L | P}}},
    FlagCase{"77::gen 2 | ::fwd | ::rec",
             {{"gen", 0x77, A | PO},
              {"fwd", 0x100, A | L | LF | P | PO}, {"fwd", 0x200, A | L | P | PO},
              {"rec", 0x100, A | L | LF | P}, {"rec", 0x200, A | L | P}}},
    FlagCase{"5,2::gen 1 | ::rec",
             {{"gen", 5, A | L | LF | PO}, {"gen", 5, A | L | PO}, {"rec", 0x100, A | L | LF | P}, {"rec", 0x100, A | L | P}}},
    // the empty-pipe rule: the next stage is not invoked at all
    FlagCase{"::gen 0 | ::rec", {{"gen", 0x500, PO}}},
    FlagCase{"::gen 0 | ::fwd | ::rec", {{"gen", 0x500, PO}}},
    // mdb_set_pipe replaces the parsed text
    FlagCase{"::setp | ::rec", {{"setp", 0x500, PO}, {"rec", 7, A | L | LF | P}, {"rec", 8, A | L | P}}},
    // mdb_get_pipe consumes the rest of the list: one invocation
    FlagCase{"::gen 4 | ::getp", {{"gen", 0x500, PO}, {"getp", 0x100, A | L | LF | P}}}));

TEST_F(LangTest, LoopAdvancesByTheIncrement) {
    recorder().increment = 0x10;
    ASSERT_EQ(h.run("1000,3::rec"), 0);
    EXPECT_EQ(calls(), (std::vector<Call>{{"rec", 0x1000, A | L | LF}, {"rec", 0x1010, A | L}, {"rec", 0x1020, A | L}}));
}

TEST_F(LangTest, LoopIncrementMayNotFlipTheSignBit) {
    recorder().increment = 0x10;
    EXPECT_EQ(h.run("7ffffffffffffff8,3::rec"), -1);
    EXPECT_EQ(calls().size(), 1u);
    EXPECT_EQ(h.take_err(), "mdb: ',' would cause '.' to overflow\n");
}

TEST_F(LangTest, CountIsAnExpressionInTheCurrentRadix) {
    ASSERT_EQ(h.run("1,1+1::rec"), 0);
    EXPECT_EQ(calls().size(), 2u);
    calls().clear();
    ASSERT_EQ(h.run("1,10::rec"), 0);
    EXPECT_EQ(calls().size(), 16u);
}

TEST_F(LangTest, ErrContinuesTheLoopUsageAndAbortStopIt) {
    recorder().status = DCMD_ERR;
    ASSERT_EQ(h.run("1,3::rec"), 0);
    EXPECT_EQ(calls().size(), 3u);
    EXPECT_EQ(s().last_status, DCMD_ERR);
    calls().clear();
    recorder().status = DCMD_ABORT;
    ASSERT_EQ(h.run("1,3::rec"), 0);
    EXPECT_EQ(calls().size(), 1u);
    calls().clear();
    recorder().status = DCMD_USAGE;
    ASSERT_EQ(h.run("::gen 3 | ::rec | ::fwd"), 0);
    EXPECT_EQ(calls().size(), 2u);  // gen, then rec once; fwd never runs
    EXPECT_NE(h.take_err().find("Usage: [address]::rec"), std::string::npos);
}

TEST_F(LangTest, StageStatusBecomesLastStatus) {
    ASSERT_EQ(h.run("::gen"), 0);  // usage
    EXPECT_EQ(s().last_status, DCMD_USAGE);
    ASSERT_EQ(h.run("::gen 0 | ::rec"), 0);
    EXPECT_EQ(s().last_status, DCMD_OK);
    recorder().status = DCMD_ERR;
    ASSERT_EQ(h.run("::gen 1 | ::rec"), 0);
    EXPECT_EQ(s().last_status, DCMD_ERR);
}

TEST_F(LangTest, BareExpressionRepeatsThePreviousCommandInFileInput) {
    ASSERT_EQ(h.run("1234::rec\n5678\n9,2\n", Session::InputKind::file), 0);
    EXPECT_EQ(calls(), (std::vector<Call>{{"rec", 0x1234, A},
                                          {"rec", 0x5678, A},
                                          {"rec", 9, A | L | LF},
                                          {"rec", 9, A | L}}));
}

TEST_F(LangTest, BareExpressionOnlySetsDotInStringInput) {
    ASSERT_EQ(h.run("1234::rec; 5678"), 0);
    EXPECT_EQ(calls().size(), 1u);
    EXPECT_EQ(s().dot, 0x5678u);
    EXPECT_EQ(s().increment, 0u);
}

TEST_F(LangTest, EmptyStatementRepeatsOnlyWithRepeatlast) {
    recorder().increment = 4;
    ASSERT_EQ(h.run("100::rec\n\n", Session::InputKind::file), 0);
    EXPECT_EQ(calls().size(), 1u);
    ASSERT_EQ(h.run("::set -o repeatlast"), 0);
    ASSERT_EQ(h.run("100::rec\n\n", Session::InputKind::file), 0);
    ASSERT_EQ(calls().size(), 3u);
    EXPECT_EQ(calls()[2], (Call{"rec", 0x104, A}));
}

// The command a bare expression repeats is the last one run, also when it was stopped part-way
// (here by the step budget, after ::gen's first invocation).
TEST_F(LangTest, BareExpressionRepeatsACommandThatWasStopped) {
    s().options().step_budget = 1;
    h.run("1234::gen 3 | ::rec\n5678\n", Session::InputKind::file);
    const std::string err = h.take_err();
    EXPECT_NE(err.find("step budget"), std::string::npos) << err;
    ASSERT_EQ(calls().size(), 2u);
    EXPECT_EQ(calls()[0].dcmd, "gen");
    EXPECT_EQ(calls()[0].addr, 0x1234u);
    EXPECT_EQ(calls()[1].dcmd, "gen");
    EXPECT_EQ(calls()[1].addr, 0x5678u);
}

TEST_F(LangTest, PipeLinesAreExpressionsInTheCurrentRadix) {
    ASSERT_EQ(h.run("::echo 10 | ::rec"), 0) << h.take_err();
    ASSERT_EQ(h.run("0t10$d; ::echo 10 | ::rec; ::echo 0x10 | ::rec"), 0) << h.take_err();
    EXPECT_EQ(calls(), (std::vector<Call>{{"rec", 0x10, A | L | LF | P}, {"rec", 10, A | L | LF | P},
                                          {"rec", 0x10, A | L | LF | P}}));
}

// Lines of hex digits take a fast path; it must read them as the lexer does: a word that
// starts with a letter is a symbol when one has that name, otherwise a number.
TEST_F(LangTest, HexPipeLinesAreSymbolsOrNumbersAsTheLexerReadsThem) {
    h.target.symbols().add("unix", "beef", 0x1234, 8);
    setenv("SHELL", "/bin/sh", 1);
    const char* lines = "! 'printf \"beef\\nbeeff\\n0beef\\n\\nFFFFFFFFFFFFFFFF\\nA\\n\"' | ::rec";
    ASSERT_EQ(h.run(lines), 0) << h.take_err();
    std::vector<uint64_t> fast;
    for (const Call& c : calls()) fast.push_back(c.addr);
    EXPECT_EQ(fast, (std::vector<uint64_t>{0x1234, 0xbeeff, 0xbeef, ~0ULL, 0xa}));
    EXPECT_EQ(s().dot, 0xau);
    // The same lines with one that is not plain hex go through the lexer: same values.
    calls().clear();
    ASSERT_EQ(h.run("! 'printf \"beef\\nbeeff\\n0beef\\n\\nFFFFFFFFFFFFFFFF\\nA\\n0x0\\n\"' | ::rec"), 0)
        << h.take_err();
    std::vector<uint64_t> lexed;
    for (const Call& c : calls()) lexed.push_back(c.addr);
    fast.push_back(0);
    EXPECT_EQ(lexed, fast);
    // "0x" lines are numbers in any radix, never symbols.
    calls().clear();
    h.target.symbols().add("unix", "x10", 0x999, 8);
    ASSERT_EQ(h.run("0t10$d; ! 'printf \"0x10\\n0X1f\\n\"' | ::rec; 0x10$d"), 0) << h.take_err();
    ASSERT_EQ(calls().size(), 2u);
    EXPECT_EQ(calls()[0].addr, 0x10u);
    EXPECT_EQ(calls()[1].addr, 0x1fu);
    // More than 16 digits is the lexer's overflow error, not a silent wrap.
    calls().clear();
    EXPECT_EQ(h.run("! 'echo 10000000000000000' | ::rec"), -1);
    EXPECT_NE(h.take_err().find("exceeds maximum"), std::string::npos);
}

TEST_F(LangTest, UnparseablePipeTextAbortsThePipeline) {
    EXPECT_EQ(h.run("::echo 1 2 3 | ::rec"), -1);
    EXPECT_TRUE(calls().empty());
    EXPECT_NE(h.take_err().find("syntax error"), std::string::npos);
}

TEST_F(LangTest, GcMemoryLivesUntilTheWholeCommandLineEnds) {
    ASSERT_EQ(h.run("::gcalloc | ::gccheck | ::gcalloc | ::gccheck"), 0) << h.take_err();
    EXPECT_EQ(s().last_status, DCMD_OK);
    EXPECT_EQ(recorder().gc_blocks.size(), 2u);
    EXPECT_EQ(calls().size(), 4u);
}

TEST_F(LangTest, ShellStagesFilterAndFeedPipelines) {
    setenv("SHELL", "/bin/sh", 1);
    ASSERT_EQ(h.run("! 'echo 1; echo 0t32' | ::rec"), 0) << h.take_err();
    EXPECT_EQ(calls(), (std::vector<Call>{{"rec", 1, A | L | LF | P}, {"rec", 0x20, A | L | P}}));
    calls().clear();
    ASSERT_EQ(h.run("9::gen 3 ! 'tail -n 1' | ::rec"), 0) << h.take_err();
    EXPECT_EQ(calls(), (std::vector<Call>{{"gen", 9, A | PO}, {"rec", 0x300, A | L | LF | P}}));
    calls().clear();
    ASSERT_EQ(h.run("! 'true' | ::rec"), 0);
    EXPECT_TRUE(calls().empty());
    ASSERT_EQ(h.run("::gen 2 ! sed 's/^/x/'"), 0);
    EXPECT_EQ(h.take_out(), "x0x100\nx0x200\n");
    ASSERT_EQ(h.run("! echo a   b"), 0);
    EXPECT_EQ(h.take_out(), "a b\n");
}

TEST_F(LangTest, ShellGrammarErrors) {
    EXPECT_EQ(h.run("::gen 1 ! 'cat' ! ::rec"), -1);
    EXPECT_EQ(h.take_err(), "mdb: syntax error on line 1 of (string) near \"! ::rec\"\n");
    EXPECT_TRUE(calls().empty());
    EXPECT_EQ(h.run("! 'echo unterminated"), -1);
    EXPECT_NE(h.take_err().find("unterminated"), std::string::npos);
}

TEST_F(LangTest, ShellInputIsReadAsCommands) {
    setenv("SHELL", "/bin/sh", 1);
    ASSERT_EQ(h.run("!< echo '42::rec'"), 0) << h.take_err();
    EXPECT_EQ(calls(), (std::vector<Call>{{"rec", 0x42, A}}));
}

}  // namespace
}  // namespace mdbsim::host::langtest
