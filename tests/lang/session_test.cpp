// The input loop (modapi.md §16.6): errors abandon the statement, file input goes on after the
// next ';' or newline, string input stops; SIGINT aborts the command, not the session; built-ins.
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "mdbsim/host/lang.hpp"
#include "mdbsim/mdb_errno.h"

#include "lang_fixture.hpp"

namespace mdbsim::host::langtest {
namespace {

TEST_F(LangTest, FileInputSkipsToTheNextStatementAfterAnError) {
    EXPECT_EQ(h.run("1::rec; 1 2 3 ; 2::rec\n3::rec\n0i12=K\n4::rec", Session::InputKind::file), 0);
    std::vector<uint64_t> addrs;
    for (const Call& c : calls()) addrs.push_back(c.addr);
    EXPECT_EQ(addrs, (std::vector<uint64_t>{1, 2, 3, 4}));
    EXPECT_EQ(h.take_err(),
              "mdb: syntax error on line 1 of test.mdb near \"2\"\n"
              "mdb: digit '2' is invalid in current base\n");
}

TEST_F(LangTest, StringInputStopsAtTheFirstError) {
    EXPECT_EQ(h.run("1::rec; ::nosuch; 2::rec"), -1);
    EXPECT_EQ(calls().size(), 1u);
    EXPECT_EQ(h.take_err(), "mdb: invalid command '::nosuch': unknown dcmd name\n");
    EXPECT_EQ(h.run("3::rec"), 0);  // the session goes on
    EXPECT_EQ(calls().size(), 2u);
}

TEST_F(LangTest, LineNumbersCountAcrossStatements) {
    EXPECT_EQ(h.run("::rec\n\n// comment\n1 )\n", Session::InputKind::file), 0);
    EXPECT_EQ(h.take_err(), "mdb: syntax error on line 4 of test.mdb near \")\"\n");
    EXPECT_EQ(s().language().run("(", Session::InputKind::file, "<stdin>", 7), 0);
    EXPECT_EQ(h.take_err(), "mdb: syntax error on line 7 of <stdin> near \"\"\n");
}

TEST_F(LangTest, TerminalErrorsHaveNoLocation) {
    EXPECT_EQ(s().run("1 2\n", Session::InputKind::terminal), -1);
    h.flush();
    EXPECT_EQ(h.take_err(), "mdb: syntax error near \"2\"\n");
}

TEST_F(LangTest, SigintAbortsALongWalkAndTheSessionGoesOn) {
    s().install_sigint_handler();
    recorder().interrupt_after = 1000;
    EXPECT_EQ(h.run("::spin"), -1);
    EXPECT_EQ(recorder().walk_steps, 1000u);
    EXPECT_EQ(h.take_err(), "mdb: interrupted\n");
    EXPECT_EQ(h.run("5::rec"), 0);
    EXPECT_EQ(calls().back(), (Call{"rec", 5, DCMD_ADDRSPEC}));
    std::signal(SIGINT, SIG_DFL);
}

TEST_F(LangTest, SigintInsideEvalAbortsTheWholeLine) {
    s().install_sigint_handler();
    recorder().interrupt_after = 50;
    EXPECT_EQ(h.run("1,3::eval ::spin"), -1);
    EXPECT_EQ(calls().size(), 1u);
    EXPECT_EQ(h.run("5::rec"), 0);
    std::signal(SIGINT, SIG_DFL);
}

TEST_F(LangTest, AbortResetsStandardOutput) {
    s().out().indent = true;
    s().out().margin = 4;
    EXPECT_EQ(h.run("::nosuch"), -1);
    EXPECT_FALSE(s().out().indent);
    EXPECT_EQ(s().out().margin, 16u);
}

TEST_F(LangTest, EvalIsNestedStringInput) {
    s().dot = 0;
    ASSERT_EQ(s().eval("1234"), 0);
    EXPECT_EQ(s().dot, 0x1234u);
    errno = 0;
    EXPECT_EQ(s().eval("::nosuch"), -1);
    EXPECT_EQ(errno, EMDB_EVAL);
    ASSERT_EQ(h.run("::eval '77::rec'"), 0);
    EXPECT_EQ(calls().back(), (Call{"rec", 0x77, DCMD_ADDRSPEC}));
    EXPECT_EQ(h.run("::eval '1 2'"), 0);
    EXPECT_EQ(s().last_status, DCMD_ABORT);
}

TEST_F(LangTest, RadixBuiltin) {
    ASSERT_EQ(h.run("$d"), 0);
    EXPECT_EQ(h.take_out(), "radix = 16 base ten\n");
    ASSERT_EQ(h.run("0t10$d; 10::rec"), 0);
    EXPECT_EQ(h.take_out(), "radix = 10 base ten\n");
    EXPECT_EQ(calls().back().addr, 10u);
    ASSERT_EQ(h.run("0t17$d"), 0);
    EXPECT_EQ(s().last_status, DCMD_ERR);
    EXPECT_EQ(h.take_err(), "mdb: expected radix from 2 to 16\n");
    EXPECT_EQ(s().radix, 10);
}

TEST_F(LangTest, HeadLimitsThePipe) {
    ASSERT_EQ(h.run("::gen 5 | ::head -2 | ::rec"), 0) << h.take_err();
    EXPECT_EQ(calls().size(), 3u);  // gen + 2
    calls().clear();
    ASSERT_EQ(h.run("::gen 5 | ::head -n 3"), 0);
    EXPECT_EQ(h.take_out(), "100\n200\n300\n");
    ASSERT_EQ(h.run("::gen 3 | ::head"), 0);
    EXPECT_EQ(h.take_out(), "100\n200\n300\n");
    ASSERT_EQ(h.run("::gen 3 | ::head -x"), 0);
    EXPECT_EQ(s().last_status, DCMD_USAGE);
}

TEST_F(LangTest, MapAndGrep) {
    ASSERT_EQ(h.run("::gen 3 | ::map .+1"), 0) << h.take_err();
    EXPECT_EQ(h.take_out(), "101\n201\n301\n");
    ASSERT_EQ(h.run("::gen 3 | ::grep .==200"), 0) << h.take_err();
    EXPECT_EQ(h.take_out(), "200\n");
    ASSERT_EQ(h.run("::gen 1 | ::map"), 0);
    EXPECT_EQ(s().last_status, DCMD_USAGE);
}

TEST_F(LangTest, EchoVarsSetVersionQuit) {
    ASSERT_EQ(h.run("::echo a 'b c' $[0t10]"), 0);
    EXPECT_EQ(h.take_out(), "a b c a \n");
    // -t lists what ::typeset -t tagged, as in mdb, not every user variable.
    ASSERT_EQ(h.run("1234>zz; 5>yy; ::typeset -t zz; ::vars -t"), 0);
    EXPECT_EQ(h.take_out(), "zz = 1234\n");
    ASSERT_EQ(h.run("::set -o autowrap"), 0);
    EXPECT_TRUE(s().autowrap);
    ASSERT_EQ(h.run("::set +o autowrap -w"), 0);
    EXPECT_FALSE(s().autowrap);
    EXPECT_TRUE(s().target().writable());
    ASSERT_EQ(h.run("::set +w"), 0);
    EXPECT_FALSE(s().target().writable());
    // An unknown option is warned about and, as in mdb, the command still succeeds.
    ASSERT_EQ(h.run("::set -o bogus"), 0);
    EXPECT_EQ(s().last_status, DCMD_OK);
    EXPECT_NE(h.take_err().find("invalid debugger option -- bogus"), std::string::npos);
    ASSERT_EQ(h.run("::version"), 0);
    EXPECT_EQ(h.take_out().rfind("mdbsim ", 0), 0u);
    EXPECT_THROW(h.run("$q"), QuitRequest);
    EXPECT_THROW(h.run("::quit"), QuitRequest);
}

TEST_F(LangTest, SourceMacroFile) {
    char path[] = "/tmp/mdbsim-lang-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    std::string text = "11::rec\n1 2\n22::rec\n";
    ASSERT_EQ(write(fd, text.data(), text.size()), ssize_t(text.size()));
    close(fd);
    ASSERT_EQ(h.run(std::string("3$<") + path), 0);
    unlink(path);
    ASSERT_EQ(calls().size(), 2u);
    EXPECT_EQ(s().variables["9"], 1u);
    EXPECT_NE(h.take_err().find("on line 2 of /tmp/mdbsim-lang-"), std::string::npos);
    ASSERT_EQ(h.run("$< /nonexistent/file"), 0);
    EXPECT_EQ(s().last_status, DCMD_ERR);
}

TEST_F(LangTest, RecursiveInputIsBounded) {
    ASSERT_EQ(h.run("::eval \"::eval \\\"::eval ::nosuch\\\"\""), 0);
    h.take_err();
    // a macro that sources itself stops at the nesting limit instead of exhausting the stack
    char path[] = "/tmp/mdbsim-lang-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    std::string text = std::string("$<") + path + "\n";
    ASSERT_EQ(write(fd, text.data(), text.size()), ssize_t(text.size()));
    close(fd);
    h.run(text);
    unlink(path);
    EXPECT_NE(h.take_err().find("nested too deeply"), std::string::npos);
    EXPECT_EQ(h.run("::rec"), 0);
}

// Arbitrary bytes as input never crash or hang the session. The junk can spell `$>name` or
// `::log name`: it runs in a directory of its own, removed afterwards, so no stray files are left
// wherever the test was started.
TEST_F(LangTest, ArbitraryInputIsSafe) {
    char dir[] = "/tmp/mdbsim-junk-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    const std::filesystem::path before = std::filesystem::current_path();
    std::filesystem::current_path(dir);
    struct Back {
        std::filesystem::path to, remove;
        ~Back() {
            std::error_code ec;
            std::filesystem::current_path(to, ec);
            std::filesystem::remove_all(remove, ec);
        }
    } back{before, dir};
    uint32_t x = 99;
    for (int round = 0; round < 200; ++round) {
        std::string junk;
        for (int i = 0; i < 48; ++i) {
            x = x * 1103515245u + 12345u;
            // no ',': a random count could loop for minutes
            const char alphabet[] = "0123456789abcdefxti:$/=<>|!'\"*%#~^&();\n []._-+`@?\\";
            junk += alphabet[(x >> 16) % (sizeof alphabet - 1)];
        }
        // no shell escapes: they would run arbitrary commands
        for (char& c : junk)
            if (c == '!') c = '+';
        try {
            s().run(junk, round % 2 ? Session::InputKind::file : Session::InputKind::string, "junk");
        } catch (const QuitRequest&) {
        }
    }
    h.take_out();
    h.take_err();
    EXPECT_EQ(h.run("9::rec"), 0);
}

}  // namespace
}  // namespace mdbsim::host::langtest
