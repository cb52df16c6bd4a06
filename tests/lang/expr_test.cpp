// Expressions (modapi.md §16.4): precedence, associativity and the semantics of each operator,
// evaluated as string input so the value lands in dot.
#include <climits>
#include <cstring>

#include "lang_fixture.hpp"

namespace mdbsim::host::langtest {
namespace {

struct ExprCase {
    const char* text;
    uint64_t value;
};

class Expressions : public LangTest, public ::testing::WithParamInterface<ExprCase> {};

TEST_P(Expressions, Value) {
    s().dot = 0;
    ASSERT_EQ(h.run(GetParam().text), 0) << GetParam().text << ": " << h.take_err();
    EXPECT_EQ(s().dot, GetParam().value) << GetParam().text;
}

constexpr uint64_t kMax = ~0ULL;

INSTANTIATE_TEST_SUITE_P(PrecedenceAndSemantics, Expressions, ::testing::Values(
    // precedence, lowest first: | ^ & == != << >> + - * % # %%
    ExprCase{"1+2*3", 7}, ExprCase{"(1+2)*3", 9}, ExprCase{"1|2^3&1", 3}, ExprCase{"6&3^1", 3},
    ExprCase{"1<<4+1", 0x20}, ExprCase{"2==1+1", 1}, ExprCase{"1==1<<0", 1}, ExprCase{"3!=3", 0},
    ExprCase{"1|0==0", 1}, ExprCase{"5%%3*2", 4}, ExprCase{"2*3%%2", 2}, ExprCase{"7#4+1", 9},
    // left associativity
    ExprCase{"1-1-1", kMax}, ExprCase{"40%4%2", 8}, ExprCase{"1<<2<<3", 0x20}, ExprCase{"100>>4>>4", 1},
    // % is signed division truncating toward zero, # rounds up, %% is the unsigned remainder
    ExprCase{"7%2", 3}, ExprCase{"-7%2", uint64_t(-3)}, ExprCase{"7%-2", uint64_t(-3)},
    ExprCase{"7#4", 8}, ExprCase{"8#4", 8}, ExprCase{"0#4", 0}, ExprCase{"-7#4", uint64_t(-4)},
    ExprCase{"-1%%3", 0}, ExprCase{"0t17%%0t5", 2},
    // shifts take the count modulo 64
    ExprCase{"1<<0t64", 1}, ExprCase{"1<<0t63", 1ULL << 63}, ExprCase{"8000000000000000>>0t63", 1},
    // wrapping arithmetic
    ExprCase{"ffffffffffffffff+2", 1}, ExprCase{"0-1", kMax}, ExprCase{"2*8000000000000000", 0},
    // unary operators, right-associative
    ExprCase{"-1", kMax}, ExprCase{"--5", 5}, ExprCase{"~0", kMax}, ExprCase{"~~5", 5},
    ExprCase{"#0", 1}, ExprCase{"#5", 0}, ExprCase{"##5", 1}, ExprCase{"-(2+3)", uint64_t(-5)},
    ExprCase{"- 2 * 3", uint64_t(-6)},
    // character constants and numbers in expressions
    ExprCase{"'A'+1", 0x42}, ExprCase{"0t10+0i10+0o10+0x10", 10 + 2 + 8 + 16},
    // dereference: 8 bytes by default, sized with */c/ ...
    ExprCase{"*10000", 0x1122334455667788ULL}, ExprCase{"*/c/10000", 0x88}, ExprCase{"*/s/10000", 0x7788},
    ExprCase{"*/i/10000", 0x55667788}, ExprCase{"*/l/10008", 0x1122334455667790ULL},
    ExprCase{"*/1/10000+1", 0x89}, ExprCase{"*10000&ff", 0x88}, ExprCase{"*(10000+8)", 0x1122334455667790ULL}));

TEST_F(LangTest, DotIncrementAndLastAddressPrimaries) {
    s().dot = 0x1000;
    s().increment = 0x10;
    ASSERT_EQ(h.run("+"), 0);
    EXPECT_EQ(s().dot, 0x1010u);
    s().increment = 0x10;
    ASSERT_EQ(h.run("^"), 0);
    EXPECT_EQ(s().dot, 0x1000u);
    ASSERT_EQ(h.run("4321::rec"), 0);
    ASSERT_EQ(h.run("&+1"), 0);
    EXPECT_EQ(s().dot, 0x4322u);
    ASSERT_EQ(h.run(".*2"), 0);
    EXPECT_EQ(s().dot, 0x8644u);
}

TEST_F(LangTest, VariablesAssignAndRead) {
    ASSERT_EQ(h.run("1234>myvar"), 0) << h.take_err();
    ASSERT_EQ(h.run("<myvar+1"), 0);
    EXPECT_EQ(s().dot, 0x1235u);
    ASSERT_EQ(h.run("12345678>/c/low"), 0);
    EXPECT_EQ(s().variables["low"], 0x78u);
    ASSERT_EQ(h.run("12345678>/s/w16"), 0);
    EXPECT_EQ(s().variables["w16"], 0x5678u);
    ASSERT_EQ(h.run("<9"), 0);  // predefined
    ASSERT_EQ(h.run("1>b"), 0);  // read-only: the dcmd fails, the input goes on
    EXPECT_EQ(s().last_status, DCMD_ABORT);
    EXPECT_NE(h.take_err().find("read-only"), std::string::npos);
}

struct ExprError {
    const char* text;
    const char* message;
};

class ExpressionErrors : public LangTest, public ::testing::WithParamInterface<ExprError> {};

TEST_P(ExpressionErrors, AbortWithMessage) {
    EXPECT_EQ(h.run(GetParam().text), -1) << GetParam().text;
    EXPECT_EQ(h.take_err(), GetParam().message) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(Errors, ExpressionErrors, ::testing::Values(
    ExprError{"1%0", "mdb: attempted to divide by zero\n"},
    ExprError{"1#0", "mdb: attempted to divide by zero\n"},
    ExprError{"1%%0", "mdb: attempted to divide by zero\n"},
    ExprError{"8000000000000000%-1", "mdb: divide overflow\n"},
    ExprError{"<nosuchvar", "mdb: variable 'nosuchvar' is not defined\n"},
    ExprError{"*0", "mdb: failed to read from address 0: no mapping for address\n"},
    ExprError{"*/i/10ffe", "mdb: failed to read from address 10ffe: only 2 of 4 bytes could be read\n"},
    ExprError{"nosuchsym", "mdb: failed to dereference symbol: unknown symbol name\n"},
    ExprError{"(1", "mdb: syntax error on line 1 of (string) near \"\"\n"},
    ExprError{"1 2", "mdb: syntax error on line 1 of (string) near \"2\"\n"},
    ExprError{"1+", "mdb: syntax error on line 1 of (string) near \"\"\n"},
    ExprError{"::nosuchdcmd", "mdb: invalid command '::nosuchdcmd': unknown dcmd name\n"},
    ExprError{"0x_123=E", "mdb: failed to dereference symbol: unknown symbol name\n"}));

TEST_F(LangTest, PlusMayNotFlipTheSignBit) {
    s().dot = 0x7ffffffffffffff8ULL;
    s().increment = 0x10;
    EXPECT_EQ(h.run("+"), -1);
    EXPECT_NE(h.take_err().find("overflow"), std::string::npos);
}

TEST_F(LangTest, DeepNestingIsAnErrorNotACrash) {
    std::string deep(100000, '(');
    EXPECT_EQ(h.run(deep + "1"), -1);
    EXPECT_NE(h.take_err().find("nested too deeply"), std::string::npos);
    std::string unary(100000, '-');
    EXPECT_EQ(h.run(unary + "1"), -1);
    EXPECT_EQ(h.run("::echo ok"), 0);  // the session goes on
}

}  // namespace
}  // namespace mdbsim::host::langtest
