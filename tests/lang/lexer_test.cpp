// The lexer alone (modapi.md §16.2–16.3): every number form and its errors, symbols, verbs and the
// tokens of the argument, format and shell states.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "lang_lexer.hpp"

namespace lang = mdbsim::host::lang;
using lang::Tok;

namespace {

struct Env {
    int radix = 16;
    std::map<std::string, uint64_t, std::less<>> symbols;

    lang::LexContext context() {
        lang::LexContext ctx;
        ctx.radix = [this] { return radix; };
        ctx.symbol = [this](std::string_view name) -> std::optional<uint64_t> {
            auto it = symbols.find(name);
            if (it == symbols.end()) return std::nullopt;
            return it->second;
        };
        return ctx;
    }
};

std::vector<lang::Token> lex_all(Env& env, std::string_view text) {
    lang::Lexer lx(text, env.context());
    std::vector<lang::Token> out;
    for (int guard = 0; guard < 1000; ++guard) {
        lang::Token t = lx.next();
        if (t.kind == Tok::eof) break;
        out.push_back(std::move(t));
    }
    return out;
}

struct NumberCase {
    const char* text;
    int radix;
    uint64_t value;
};

class Numbers : public ::testing::TestWithParam<NumberCase> {};

TEST_P(Numbers, ValueIsExact) {
    Env env;
    env.radix = GetParam().radix;
    auto toks = lex_all(env, GetParam().text);
    ASSERT_EQ(toks.size(), 1u) << GetParam().text;
    EXPECT_EQ(toks[0].kind, Tok::number) << GetParam().text;
    EXPECT_EQ(toks[0].value, GetParam().value) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(AllForms, Numbers, ::testing::Values(
    NumberCase{"0x1f", 16, 0x1f}, NumberCase{"0X1F", 10, 0x1f}, NumberCase{"0x1_2", 16, 0x12},
    NumberCase{"0x123____456_789___abcd__ef", 16, 0x123456789abcdef},
    NumberCase{"0x1_2_3_4_5_6_7_8_9_a_b_c_d_e_f____", 16, 0x123456789abcdef},
    NumberCase{"0xffffffffffffffff", 16, ~0ULL},
    NumberCase{"0i101", 16, 5}, NumberCase{"0I1__1__0______", 16, 6}, NumberCase{"0i100_0111", 16, 0x47},
    NumberCase{"0o775", 16, 0775}, NumberCase{"0O7_7_5__", 16, 0775}, NumberCase{"0o7______", 16, 7},
    NumberCase{"0t23_24_25_26", 16, 23242526}, NumberCase{"0T123456", 16, 123456},
    NumberCase{"0t1________2_____________________3", 16, 123},
    NumberCase{"badcafe", 16, 0xbadcafe}, NumberCase{"bad___cafe", 16, 0xbadcafe},
    NumberCase{"44_44_44_44_", 10, 44444444}, NumberCase{"555_5555", 10, 5555555},
    NumberCase{"0123_____456", 8, 0123456}, NumberCase{"000000___________1", 8, 1},
    NumberCase{"100_0001__0001", 2, 0x411}, NumberCase{"1_____________0", 2, 2},
    NumberCase{"10", 16, 16}, NumberCase{"10", 10, 10}, NumberCase{"10", 8, 8}, NumberCase{"10", 2, 2},
    NumberCase{"'a'", 16, 0x61}, NumberCase{"'ab'", 16, 0x6162}, NumberCase{"''", 16, 0},
    NumberCase{"'\\n'", 16, 10}, NumberCase{"'\\0'", 16, 0}, NumberCase{"'\\x41\\101'", 16, 0x4141},
    NumberCase{"'abcdefgh'", 16, 0x6162636465666768}));

TEST(Lexer, DecimalFloatIsTheDoubleBitPattern) {
    Env env;
    auto toks = lex_all(env, "0t1.5");
    ASSERT_EQ(toks.size(), 1u);
    double d = 1.5;
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    EXPECT_EQ(toks[0].value, bits);
}

TEST(Lexer, BareNumberIsLookedUpAsSymbolFirst) {
    Env env;
    env.symbols["badcafe"] = 0x1234;
    env.symbols["kvm`vm_list"] = 0x5000;
    env.symbols["_start"] = 0x77;
    EXPECT_EQ(lex_all(env, "badcafe")[0].value, 0x1234u);
    EXPECT_EQ(lex_all(env, "bad_cafe")[0].value, 0xbadcafeu);  // not a symbol: the number
    EXPECT_EQ(lex_all(env, "kvm`vm_list")[0].value, 0x5000u);
    EXPECT_EQ(lex_all(env, "_start")[0].value, 0x77u);
    EXPECT_EQ(lex_all(env, "0badcafe")[0].value, 0xbadcafeu);  // starts with a digit: a number
    EXPECT_EQ(lex_all(env, ".")[0].kind, Tok::dot);
}

struct ErrorCase {
    const char* text;
    int radix;
    const char* message;
};

class LexErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(LexErrors, MessageIsMdbs) {
    Env env;
    env.radix = GetParam().radix;
    try {
        lex_all(env, GetParam().text);
        ADD_FAILURE() << "no error for " << GetParam().text;
    } catch (const lang::ParseError& e) {
        EXPECT_EQ(e.message, GetParam().message) << GetParam().text;
    }
}

INSTANTIATE_TEST_SUITE_P(AllErrors, LexErrors, ::testing::Values(
    ErrorCase{"0i12345", 16, "digit '2' is invalid in current base\n"},
    ErrorCase{"0o7____89", 16, "digit '8' is invalid in current base\n"},
    ErrorCase{"0t34___asdf", 16, "digit 'a' is invalid in current base\n"},
    ErrorCase{"0x123456789abcdef123456789abcdef", 16, "specified value exceeds maximum immediate value\n"},
    ErrorCase{"0x12___345678___9abcdef123456789_a_bcdef", 16, "specified value exceeds maximum immediate value\n"},
    ErrorCase{"0t18446744073709551616", 16, "specified value exceeds maximum immediate value\n"},
    ErrorCase{"19", 8, "digit '9' is invalid in current base\n"},
    ErrorCase{"12", 2, "digit '2' is invalid in current base\n"},
    ErrorCase{"ff", 10, "digit 'f' is invalid in current base\n"},
    ErrorCase{"deadbeefx", 16, "failed to dereference symbol: unknown symbol name\n"},
    ErrorCase{"0x_123", 16, "failed to dereference symbol: unknown symbol name\n"},  // 0, then x_123
    ErrorCase{"0i__011", 16, "failed to dereference symbol: unknown symbol name\n"},
    ErrorCase{"'abcdefghi'", 16, "character constant may not exceed 8 bytes\n"},
    ErrorCase{"'abc", 16, "unterminated character constant"},
    ErrorCase{"\"abc", 16, "unterminated string"},
    ErrorCase{"*/q/0", 16, "invalid cast -- */q/\n"},
    ErrorCase{">/x/foo", 16, "invalid cast -- >/x/\n"},
    ErrorCase{"::echo $", 16, "syntax error"},
    ErrorCase{"::echo 'abc", 16, "unterminated quoted string"},
    ErrorCase{"! 'echo unterminated", 16, "syntax error: quote unmatched"},
    ErrorCase{"! \"echo unterminated\\\"", 16, "syntax error: quote unmatched"},
    ErrorCase{"!< 'echo two\nlines'", 16, "syntax error: quote unmatched"}));

TEST(Lexer, ErrorCarriesLineAndToken) {
    Env env;
    lang::Lexer lx("1\n2\n0i12\n", env.context());
    try {
        for (int i = 0; i < 10; ++i) lx.next();
        FAIL();
    } catch (const lang::ParseError& e) {
        EXPECT_EQ(e.line, 3);
        EXPECT_EQ(e.near, "0i12");
    }
}

TEST(Lexer, OperatorsAndVariables) {
    Env env;
    auto t = lex_all(env, "<a+<9==1<<2>>3%%4!=5%6#7*8 ~-(&)^,|");
    std::vector<std::string> texts;
    for (auto& k : t) texts.push_back(k.kind == Tok::op ? k.text : k.kind == Tok::variable ? "<" + k.text : "n");
    EXPECT_EQ(texts, (std::vector<std::string>{"<a", "+", "<9", "==", "n", "<<", "n", ">>", "n", "%%", "n", "!=", "n",
                                               "%", "n", "#", "n", "*", "n", "~", "-", "(", "&", ")", "^", ",", "|"}));
}

TEST(Lexer, SizedDereference) {
    Env env;
    auto t = lex_all(env, "*/c/ */s/ */i/ */l/ */1/ */2/ */4/ */8/ %/l/");
    std::vector<uint64_t> sizes;
    for (auto& k : t) {
        ASSERT_EQ(k.kind, Tok::deref);
        sizes.push_back(k.value);
    }
    EXPECT_EQ(sizes, (std::vector<uint64_t>{1, 2, 4, 8, 1, 2, 4, 8, 8}));
    EXPECT_EQ(t.back().ch, '%');
}

TEST(Lexer, VerbsEnterTheirStates) {
    Env env;
    auto t = lex_all(env, "::walk proc p | ::print -t 'a b'\"c\\td\" $[1+2]; $d; $<<macro; :c");
    ASSERT_EQ(t.size(), 19u);
    EXPECT_EQ(t[0].kind, Tok::dcmd_verb);
    EXPECT_EQ(t[0].text, "walk");
    EXPECT_EQ(t[1].text, "proc");
    EXPECT_EQ(t[2].text, "p");
    EXPECT_TRUE(t[3].is_op("|"));
    EXPECT_EQ(t[4].text, "print");
    EXPECT_EQ(t[5].kind, Tok::arg_string);
    EXPECT_EQ(t[5].text, "-t");
    EXPECT_EQ(t[6].text, "a bc\td");
    EXPECT_EQ(t[7].kind, Tok::expr_open);
    EXPECT_EQ(t[8].kind, Tok::number);
    EXPECT_TRUE(t[9].is_op("+"));
    EXPECT_EQ(t[11].kind, Tok::expr_close);
    EXPECT_EQ(t[12].kind, Tok::end);
    EXPECT_EQ(t[13].kind, Tok::old_verb);
    EXPECT_EQ(t[13].text, "$d");
    EXPECT_EQ(t[15].text, "$<<");
    EXPECT_EQ(t[16].text, "macro");
    EXPECT_EQ(t[18].text, ":c");
}

TEST(Lexer, FormatListTokens) {
    Env env;
    auto t = lex_all(env, "=4X\"a b\"$[2]n // comment");
    ASSERT_EQ(t.size(), 8u);
    EXPECT_EQ(t[0].kind, Tok::fmt_verb);
    EXPECT_EQ(t[0].ch, '=');
    EXPECT_EQ(t[1].kind, Tok::fmt_count);
    EXPECT_EQ(t[1].value, 4u);
    EXPECT_EQ(t[2].kind, Tok::fmt_char);
    EXPECT_EQ(t[2].ch, 'X');
    EXPECT_EQ(t[3].kind, Tok::fmt_string);
    EXPECT_EQ(t[3].text, "a b");
    EXPECT_EQ(t[4].kind, Tok::expr_open);
    EXPECT_EQ(t[6].kind, Tok::expr_close);
    // the 'n' after ']' is lexed back in FMTLIST
    auto u = lex_all(env, "/10n");
    EXPECT_EQ(u[1].value, 10u);  // counts are always decimal
}

TEST(Lexer, WriteAndMatchVerbs) {
    Env env;
    for (const char* text : {"/v 1 2", "/ w 1", "\\W 5", "?Z 0", "/l 1", "/L 1", "/M 1 ff", "/z 1"}) {
        auto t = lex_all(env, text);
        ASSERT_FALSE(t.empty());
        EXPECT_EQ(t[0].kind, Tok::write_verb) << text;
        EXPECT_EQ(t[1].kind, Tok::arg_string) << text;
    }
    auto t = lex_all(env, "=v");  // `=` has no write mode: v is a format character
    EXPECT_EQ(t[0].kind, Tok::fmt_verb);
    EXPECT_EQ(t[1].kind, Tok::fmt_char);
}

TEST(Lexer, AssignmentWithCast) {
    Env env;
    auto t = lex_all(env, ">/s/half; >full");
    EXPECT_EQ(t[0].kind, Tok::assign);
    EXPECT_EQ(t[0].ch, 's');
    EXPECT_EQ(t[1].text, "half");
    EXPECT_EQ(t[3].kind, Tok::assign);
    EXPECT_EQ(t[3].ch, 0);
    EXPECT_EQ(t[4].text, "full");
}

TEST(Lexer, ShellCommands) {
    Env env;
    struct Case {
        const char* text;
        const char* command;
        bool quoted;
    } cases[] = {
        {"! echo spawned", "echo spawned", false},
        {"! \"echo \\'hi there\\'\"", "echo 'hi there'", true},
        {"! \"printf '%s\\\\n' a\\tb \\101\"", "printf '%s\\n' a\tb A", true},
        {"! 'echo \\$HOME \\n'", "echo \\$HOME \\n", true},
        {"! 'echo one; echo two'", "echo one; echo two", true},
        {"! \"echo hello\"", "echo hello", true},
        {"! \"awk 'BEGIN { print 42 }'\"", "awk 'BEGIN { print 42 }'", true},
        {"!'awk \\'{print $2}\\''", "awk '{print $2}'", true},
        {"! \"awk \\\"{print \\$2}\\\"\"", "awk \"{print \\$2}\"", true},
    };
    for (const Case& c : cases) {
        auto t = lex_all(env, c.text);
        ASSERT_EQ(t.size(), 1u) << c.text;
        EXPECT_EQ(t[0].kind, Tok::shell) << c.text;
        EXPECT_EQ(t[0].text, c.command) << c.text;
        EXPECT_EQ(t[0].quoted, c.quoted) << c.text;
    }
    auto t = lex_all(env, "::echo 1 2 ! 'cat' | ::map .");
    ASSERT_EQ(t.size(), 7u);
    EXPECT_EQ(t[3].kind, Tok::shell);
    EXPECT_TRUE(t[4].is_op("|"));
    // An unquoted command ends at ';' as at a newline.
    auto two = lex_all(env, "! echo spawned; 2");
    ASSERT_EQ(two.size(), 3u);
    EXPECT_EQ(two[0].text, "echo spawned");
    EXPECT_EQ(two[2].value, 2u);
    auto in = lex_all(env, "!< echo ::echo");
    EXPECT_EQ(in[0].kind, Tok::shell_input);
    EXPECT_EQ(in[0].text, "echo ::echo");
    auto tail = lex_all(env, "::echo 1 2 !< 'sed \\'s/ /=X;/g\\''; ::echo x");
    ASSERT_EQ(tail.size(), 7u);
    EXPECT_EQ(tail[3].kind, Tok::shell_input);
    EXPECT_EQ(tail[3].text, "sed 's/ /=X;/g'");
    EXPECT_TRUE(tail[3].quoted);
    EXPECT_EQ(tail[4].kind, Tok::end);
}

TEST(Lexer, CommentsAndSeparators) {
    Env env;
    auto t = lex_all(env, "// scenario: x\n1;2 // two\n");
    ASSERT_EQ(t.size(), 5u);
    EXPECT_EQ(t[0].kind, Tok::end);
    EXPECT_EQ(t[1].value, 1u);
    EXPECT_EQ(t[2].kind, Tok::end);
    EXPECT_EQ(t[3].value, 2u);
}

TEST(Lexer, SkipStatementResumesAfterTerminator) {
    Env env;
    lang::Lexer lx("1 2 3; 4\n5", env.context());
    lx.next();
    lx.skip_statement();
    EXPECT_EQ(lx.next().value, 4u);
    lx.peek();  // newline looked at: skipping must not swallow the next statement
    lx.skip_statement();
    EXPECT_EQ(lx.next().value, 5u);
}

// Arbitrary bytes never crash or hang the lexer: every token consumes input or ends it.
TEST(Lexer, ArbitraryBytesTerminate) {
    Env env;
    std::string junk;
    uint32_t x = 12345;
    for (int round = 0; round < 300; ++round) {
        junk.clear();
        for (int i = 0; i < 64; ++i) {
            x = x * 1103515245u + 12345u;
            junk += static_cast<char>((x >> 16) & 0xff);
        }
        lang::Lexer lx(junk, env.context());
        int n = 0;
        try {
            while (lx.next().kind != Tok::eof) ASSERT_LT(++n, 200);
        } catch (const lang::ParseError&) {
        }
    }
}

}  // namespace

// digits_to_value takes text short enough to always fit without the overflow test: the two paths
// must agree with 128-bit arithmetic on every length around each base's limit, with separators.
TEST(Lexer, DigitsAgreeWithWideArithmeticAtEveryBaseLimit) {
    const char* const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    uint32_t seed = 12345;  // fixed: the same strings every run
    auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
    for (int base : {2, 3, 8, 10, 16, 36}) {
        for (size_t len = 1; len <= 66; ++len) {
            for (int rep = 0; rep < 8; ++rep) {
                std::string digits;
                unsigned __int128 want = 0;
                bool overflow = false;
                for (size_t i = 0; i < len; ++i) {
                    // The largest digit half the time: values at the limit, not only below it.
                    const int d = (next() >> 8) % 2 ? base - 1 : static_cast<int>((next() >> 8) % base);
                    digits += alphabet[d];
                    if ((next() >> 8) % 5 == 0) digits += '_';
                    want = want * static_cast<unsigned>(base) + static_cast<unsigned>(d);
                    if (want > UINT64_MAX) overflow = true;
                }
                if (overflow) {
                    EXPECT_THROW(lang::digits_to_value(digits, base), lang::ParseError) << digits << " base " << base;
                } else {
                    EXPECT_EQ(lang::digits_to_value(digits, base), static_cast<uint64_t>(want))
                        << digits << " base " << base;
                }
            }
        }
    }
    EXPECT_EQ(lang::digits_to_value("ffffffffffffffff", 16), UINT64_MAX);
    EXPECT_EQ(lang::digits_to_value("18446744073709551615", 10), UINT64_MAX);
    EXPECT_EQ(lang::digits_to_value("3w5e11264sgsf", 36), UINT64_MAX);
    EXPECT_THROW(lang::digits_to_value("3w5e11264sgsg", 36), lang::ParseError);
}
