// The mdbsim program: exit statuses of -e and of standard input (modapi.md §16.8), options, and
// the interactive prompt under tmux.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace {

struct Result {
    int status;
    std::string out;
};

// Runs a shell command line; standard error is discarded unless the command redirects it.
Result sh(const std::string& cmd) {
    Result r{-1, {}};
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

std::string mdbsim() { return std::string(MDBSIM_PROGRAM) + " --scenario empty"; }

struct ExitCase {
    const char* args;
    int status;
};

class ExitStatus : public ::testing::TestWithParam<ExitCase> {};

TEST_P(ExitStatus, FollowsTheLastCommand) {
    Result r = sh(mdbsim() + " " + GetParam().args + " 2>/dev/null");
    EXPECT_EQ(r.status, GetParam().status) << GetParam().args;
}

INSTANTIATE_TEST_SUITE_P(DashE, ExitStatus, ::testing::Values(
    ExitCase{"-e '::dcmds'", 0},
    ExitCase{"-e '0x10=K'", 0},
    ExitCase{"-e '::commandthatdoesnotexist'", 1},
    ExitCase{"-e '1 2'", 1},
    ExitCase{"-e '0x_123=E'", 1},
    ExitCase{"-e '0i12345=K'", 1},
    ExitCase{"-e '=K'", 0},
    ExitCase{"-e '0t17$d'", 1},                 // last dcmd failed
    ExitCase{"-e '0t17$d; 0t10$d'", 0},         // ... but not the last one
    ExitCase{"-e '0t10$d; 0t17$d'", 1},
    ExitCase{"-e '1,0::echo'", 0},
    ExitCase{"-e '$q'", 0},
    ExitCase{"-e '0t17$d; $q'", 1},
    ExitCase{"-e '::echo | ::echo'", 0},        // empty pipe: the first stage's status
    ExitCase{"--scenario nosuch -e '::echo'", 2},
    ExitCase{"--backend nosuch -e '::echo'", 2},
    ExitCase{"/nonexistent/file -e '::echo'", 2}));

TEST(Cli, StandardInputErrorsDoNotChangeTheStatus) {
    Result r = sh("printf '1 2\\n::nosuch\\n0t17$d\\n::echo ok\\n' | " + mdbsim() + " 2>&1");
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out,
              "mdb: syntax error on line 1 of <stdin> near \"2\"\n"
              "mdb: invalid command '::nosuch': unknown dcmd name\n"
              "mdb: expected radix from 2 to 16\n"
              "ok \n");
}

TEST(Cli, StandardInputWithoutTrailingNewline) {
    Result r = sh("printf '0t42=K' | " + mdbsim());
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "                2a              \n");
}

TEST(Cli, ListScenariosNamesEmpty) {
    Result r = sh(std::string(MDBSIM_PROGRAM) + " --list-scenarios");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("empty"), std::string::npos);
}

TEST(Cli, ListLayoutsNamesEveryProfileAndTheDefault) {
    Result r = sh(std::string(MDBSIM_PROGRAM) + " --list-layouts");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("pre-ept "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("upstream "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("(default)\n"), std::string::npos) << r.out;
}

TEST(Cli, UnknownLayoutNamesTheKnownOnes) {
    Result r = sh(std::string(MDBSIM_PROGRAM) + " --scenario minimal,layout=nosuch -e '::echo' 2>&1");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.out, "mdbsim: scenario 'minimal': unknown layout 'nosuch' (known: pre-ept, upstream); "
                     "mdbsim --list-layouts describes them\n");
}

TEST(Cli, InteractivePromptUnderTmux) {
    if (sh("command -v tmux >/dev/null 2>&1").status != 0) GTEST_SKIP() << "tmux is not installed";
    const std::string name = "mdbsim-lang-" + std::to_string(getpid());
    const std::string tmux = "tmux -L " + name + " ";
    Result start = sh(tmux + "new-session -d -x 100 -y 20 -s t '" + mdbsim() + "' 2>&1");
    if (start.status != 0) GTEST_SKIP() << "tmux cannot start a session here: " << start.out;
    auto capture = [&] { return sh(tmux + "capture-pane -p -t t").out; };
    auto wait_for = [&](const std::string& text) {
        for (int i = 0; i < 100; ++i) {
            std::string screen = capture();
            if (screen.find(text) != std::string::npos) return screen;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return capture();
    };
    // capture-pane drops trailing blanks: an empty prompt line reads ">"
    EXPECT_NE(wait_for(">").find(">"), std::string::npos);
    sh(tmux + "send-keys -t t '0t42=K' Enter");
    std::string screen = wait_for("2a");
    EXPECT_NE(screen.find("> 0t42=K"), std::string::npos) << screen;
    EXPECT_NE(screen.find("                2a"), std::string::npos) << screen;
    sh(tmux + "send-keys -t t '1 2' Enter");
    screen = wait_for("syntax error");
    EXPECT_NE(screen.find("mdb: syntax error near \"2\""), std::string::npos) << screen;
    sh(tmux + "send-keys -t t '::echo still here' Enter");
    screen = wait_for("\nstill here");
    EXPECT_NE(screen.find("\nstill here"), std::string::npos) << screen;
    sh(tmux + "send-keys -t t '$q' Enter");
    for (int i = 0; i < 100 && sh(tmux + "has-session -t t 2>/dev/null").status == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_NE(sh(tmux + "has-session -t t 2>/dev/null").status, 0) << "$q did not end the program";
    sh(tmux + "kill-server 2>/dev/null");
}

}  // namespace
