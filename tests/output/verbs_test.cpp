// The format verbs over target memory (modapi.md §17): `/` `\` `=` with headers, counts,
// strings, write and match forms, failures, and ::formats.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "mdbsim/mdb_errno.h"
#include "output_fixture.hpp"

namespace mdbsim::test {
namespace {

const std::string kMargin(16, ' ');

class VerbsTest : public SessionTest {
protected:
    void SetUp() override {
        SessionTest::SetUp();
        target.vmem().map(0x1000, 0x1000, sim::kProtRW, "test");
        target.put<uint32_t>(0x1000, 0xdeadbeef);
        target.put<uint32_t>(0x1004, 0x12345678);
        target.put<uint64_t>(0x1008, 0xfedcba9876543210ULL);
        const char text[] = "hello\0world\n";
        target.put_bytes(0x1100, text, sizeof text);
    }
};

TEST_F(VerbsTest, SlashPrintsHeaderAndItemsAndSetsTheIncrement) {
    EXPECT_EQ(run_verb("/", {ch('X')}, 0x1000), DCMD_OK);
    EXPECT_EQ(take_out(), "0x1000:         deadbeef        \n");
    EXPECT_EQ(session->increment, 4u);
    EXPECT_EQ(session->variables["0"], 0xdeadbeefu);
    EXPECT_EQ(session->dot, 0x1000u) << "dot itself is not changed";
}

TEST_F(VerbsTest, CountsAndStringsInTheFormatList) {
    EXPECT_EQ(run_verb("/", {imm(2), ch('X'), str("<>"), ch('J')}, 0x1000), DCMD_OK);
    EXPECT_EQ(take_out(), "0x1000:         deadbeef        12345678        <>fedcba9876543210 \n");
    EXPECT_EQ(session->increment, 16u);
    EXPECT_EQ(session->variables["0"], 0xfedcba9876543210ULL);
}

TEST_F(VerbsTest, LoopWalksForwardByTheIncrementWithOneHeader) {
    EXPECT_EQ(run_verb("/", {ch('X')}, 0x1000, 2), DCMD_OK);
    EXPECT_EQ(take_out(), "0x1000:         deadbeef        12345678        \n");
}

TEST_F(VerbsTest, HeaderNamesASymbolAtExactlyDot) {
    target.symbols().add("unix", "myvar", 0x1000, 8);
    EXPECT_EQ(run_verb("/", {ch('X')}, 0x1004), DCMD_OK);
    EXPECT_EQ(take_out(), "myvar+4:        12345678        \n");
    EXPECT_EQ(run_verb("/", {ch('X')}, 0x1000), DCMD_OK);
    EXPECT_EQ(take_out(), "myvar:\nmyvar:          deadbeef        \n");
}

TEST_F(VerbsTest, NoHeaderWhenOutputFeedsAPipe) {
    EXPECT_EQ(run_verb("/", {ch('X')}, 0x1000), DCMD_OK);
    take_out();
    const host::Dcmd* d = session->registry().find_dcmd("/");
    ASSERT_NE(d, nullptr);
    mdb_arg_t x = ch('X');
    session->invoke(*d, 0x1000, DCMD_ADDRSPEC | DCMD_PIPE_OUT, 1, &x);
    session->out().implicit_newline();
    EXPECT_EQ(take_out(), kMargin + "deadbeef        \n");
}

TEST_F(VerbsTest, ReadFailureWarnsAndLaterCharactersStillRun) {
    EXPECT_EQ(run_verb("/", {ch('X'), ch('n'), ch('a')}, 0x5000), DCMD_OK);
    EXPECT_EQ(err, "mdb: failed to read data from target: no mapping for address\n");
    EXPECT_EQ(take_out(), "0x5000:         \n0x5000:         \n");
}

TEST_F(VerbsTest, StringsRawAndEscaped) {
    EXPECT_EQ(run_verb("/", {ch('s')}, 0x1100), DCMD_OK);
    EXPECT_EQ(take_out(), "0x1100:         hello\n");
    EXPECT_EQ(session->increment, 6u) << "the string and its NUL";
    EXPECT_EQ(run_verb("/", {imm(2), ch('S')}, 0x1100), DCMD_OK);
    EXPECT_EQ(take_out(), "0x1100:         hello\\0world\\n\n");
    EXPECT_EQ(run_verb("/", {imm(7), ch('C')}, 0x1100), DCMD_OK);
    EXPECT_EQ(take_out(), "0x1100:         hello\\0w\n");
}

TEST_F(VerbsTest, DotCharactersAndIncrementArithmetic) {
    EXPECT_EQ(run_verb("/", {ch('X'), ch('^'), ch('X')}, 0x1000), DCMD_OK);
    EXPECT_EQ(take_out(), "0x1000:         deadbeef        deadbeef        \n");
    EXPECT_EQ(session->increment, 4u);
    EXPECT_EQ(run_verb("/", {imm(4), ch('+'), ch('X')}, 0x1000), DCMD_OK);
    EXPECT_EQ(take_out(), "0x1000:         12345678        \n");
    EXPECT_EQ(session->increment, 8u);
}

TEST_F(VerbsTest, SmallAndSwappedFormats) {
    // Memory at 0x1000: ef be ad de 78 56 34 12 10 32 54 76 ...
    EXPECT_EQ(run_verb("/", chars("BxhdvVu"), 0x1000), DCMD_OK);
    EXPECT_EQ(take_out(),
              "0x1000:         ef      adbe    de78    13398   18      16      21554   \n");
    EXPECT_EQ(session->increment, 11u);
    EXPECT_EQ(run_verb("/", chars("HbqoQ"), 0x1000), DCMD_OK);
    EXPECT_EQ(take_out(),
              "0x1000:         efbeadde        0170    032126  010022  0-14742325716   \n");
    EXPECT_EQ(session->increment, 13u);
}

TEST_F(VerbsTest, EqualsFormatsDotsValueAndResetsTheIncrement) {
    session->increment = 8;
    session->dot = 0x1234;
    EXPECT_EQ(run_verb("=", {ch('X'), ch('D'), ch('B')}, 0x1234), DCMD_OK);
    EXPECT_EQ(take_out(), kMargin + "1234            4660            34      \n");
    EXPECT_EQ(session->increment, 0u);
    EXPECT_EQ(run_verb("=", {imm(3), ch('+'), ch('X')}, 0x10), DCMD_OK);
    EXPECT_EQ(take_out(), kMargin + "10              \n") << "reads return dot's original value";
    EXPECT_EQ(session->dot, 0x13u) << "only + and - change dot";
}

TEST_F(VerbsTest, DotTabAndWhitespaceCharacters) {
    target.symbols().add("unix", "foo", 0x1000, 16);
    EXPECT_EQ(run_verb("=", {ch('a')}, 0x1004), DCMD_OK);
    EXPECT_EQ(take_out(), "foo+4:          \n") << "`a` prints at the left edge, padded to 16";
    EXPECT_EQ(run_verb("=", {ch('X'), imm(3), ch('r'), ch('X')}, 5), DCMD_OK);
    EXPECT_EQ(take_out(), kMargin + "5               " + "   " + "5               \n");
    EXPECT_EQ(run_verb("=", {ch('B'), imm(6), ch('t'), ch('B')}, 5), DCMD_OK);
    EXPECT_EQ(take_out(), kMargin + "5       " + "      " + "5       \n") << "tab stop 6: column 24 to 30";
    EXPECT_EQ(run_verb("=", {ch('B'), imm(2), ch('n'), ch('B')}, 5), DCMD_OK);
    EXPECT_EQ(take_out(), kMargin + "5       \n" + kMargin + "\n" + kMargin + "5       \n");
}

TEST_F(VerbsTest, EqualsNeedsAFormat) {
    EXPECT_EQ(run_verb("=", {}, 5), DCMD_ERR);
    EXPECT_EQ(err, "mdb: expected one or more format characters following '='\n");
}

TEST_F(VerbsTest, InvalidCharacterAndDisassembly) {
    EXPECT_EQ(run_verb("=", {ch('k'), ch('X')}, 5), DCMD_OK) << "mdb only warns";
    EXPECT_EQ(err, "mdb: invalid format character -- 'k'\n");
    EXPECT_EQ(take_out(), kMargin + "5               \n") << "later characters still print";
    err.clear();
    // `i` and `I` disassemble, in the layout of mdb's amd64 disassembler.
    const uint8_t code[] = {0x55, 0x83, 0xf8, 0xfa, 0xc3};  // pushq %rbp; cmpl $-6,%eax; ret
    target.put_bytes(0x1000, code, sizeof code);
    EXPECT_EQ(run_verb("/", {imm(3), ch('i')}, 0x1000), DCMD_OK) << err;
    std::string out = take_out();
    EXPECT_NE(out.find("pushq  %rbp\n"), std::string::npos) << out;
    EXPECT_NE(out.find("cmpl   $-0x6,%eax"), std::string::npos) << out;
    EXPECT_NE(out.find("<0xfffffffa>"), std::string::npos) << out;
    EXPECT_NE(out.find("ret    \n"), std::string::npos) << out;
    EXPECT_EQ(session->increment, 5u);
    EXPECT_EQ(run_verb("/", {ch('I')}, 0x1000), DCMD_OK) << err;
    out = take_out();
    EXPECT_NE(out.find("1000 faf88355: pushq  %rbp\n"), std::string::npos) << out;
    // mdb's "default" disassembler decodes nothing: nothing is printed and dot stays.
    session->settings.dismode = "default";
    EXPECT_EQ(run_verb("/", {ch('i')}, 0x1000), DCMD_OK);
    EXPECT_EQ(take_out().find("pushq"), std::string::npos);
    EXPECT_EQ(session->increment, 0u);
    EXPECT_EQ(err, "");
}

TEST_F(VerbsTest, WriteVerbsStoreLowOrderBytes) {
    EXPECT_EQ(run_verb("/", {ch('W'), imm(0xcafe), imm(0xf00d)}, 0x1000), DCMD_OK);
    EXPECT_EQ(target.peek<uint32_t>(0x1000), 0xcafeu);
    EXPECT_EQ(target.peek<uint32_t>(0x1004), 0xf00du);
    EXPECT_EQ(session->increment, 4u);
    EXPECT_EQ(run_verb("/", {ch('v'), imm(0x7f)}, 0x1008), DCMD_OK);
    EXPECT_EQ(target.peek<uint8_t>(0x1008), 0x7fu);
    EXPECT_EQ(run_verb("/", {ch('Z'), imm(0x1122334455667788ULL)}, 0x1010), DCMD_OK);
    EXPECT_EQ(target.peek<uint64_t>(0x1010), 0x1122334455667788ULL);
    EXPECT_EQ(take_out(), "");
}

TEST_F(VerbsTest, WriteFailures) {
    EXPECT_EQ(run_verb("/", {ch('v'), imm(0x100)}, 0x1000), DCMD_ERR);
    EXPECT_EQ(err, "mdb: value too big for the length of the write: supplied 2 bytes but maximum is 1 bytes\n");
    err.clear();
    EXPECT_EQ(run_verb("/", {ch('W'), imm(5)}, 0x9000), DCMD_ERR);
    EXPECT_EQ(err, "mdb: failed to write 5 at address 0x9000: no mapping for address\n");
    err.clear();
    EXPECT_EQ(run_verb("/", {ch('w')}, 0x1000), DCMD_ERR);
    EXPECT_EQ(err, "mdb: expected value to write following w\n");
    err.clear();
    target.set_writable(false);
    EXPECT_EQ(run_verb("/", {ch('W'), imm(0x2a)}, 0x1000), DCMD_ERR);
    EXPECT_EQ(err, "mdb: failed to write 2a at address 0x1000: target is not open for writing\n");
}

TEST(VerbsEmptyTargetTest, AnEmptyTargetIsReadOnly) {
    std::string out, err;
    sim::Target empty;
    Session s(empty, {}, host::SessionStreams::capture(out, err));
    const host::Dcmd* d = s.registry().find_dcmd("/");
    ASSERT_NE(d, nullptr);
    mdb_arg_t argv[] = {ch('v'), imm(1)};
    EXPECT_EQ(s.invoke(*d, 0, 0, 2, argv), DCMD_ERR);
    s.err().flush();
    EXPECT_EQ(err, "mdb: failed to write 1 at address 0x0: target is not open for writing\n");
}

TEST_F(VerbsTest, MatchVerbsFindTheFirstMatchingItem) {
    EXPECT_EQ(run_verb("/", {ch('L'), imm(0x12345678)}, 0x1000), DCMD_ABORT);
    EXPECT_EQ(take_out(), "0x1004\n");
    EXPECT_EQ(session->dot, 0x1004u);
    EXPECT_EQ(run_verb("/", {ch('M'), imm(0x10), imm(0xff)}, 0x1000), DCMD_ABORT);
    EXPECT_EQ(take_out(), "0x1008\n");
    EXPECT_EQ(run_verb("/", {ch('l'), imm(0xbeef)}, 0x1000), DCMD_ABORT);
    EXPECT_EQ(take_out(), "0x1000\n");
    EXPECT_EQ(run_verb("/", {ch('L'), imm(0x99999999)}, 0x1000), DCMD_ABORT);
    EXPECT_EQ(take_out(), "") << "no match: nothing printed, dot at the end of memory";
    EXPECT_EQ(session->dot, 0x2000u);
    EXPECT_EQ(run_verb("/", {ch('L')}, 0x1000), DCMD_ERR);
    EXPECT_EQ(err, "mdb: expected value following L\n");
}

TEST_F(VerbsTest, PhysicalSpace) {
    target.pmem().map(0x0, 0x1000, sim::kProtRW, "phys");
    uint32_t v = 0xabcd;
    ASSERT_FALSE(target.pmem().poke(0x10, &v, sizeof v));
    EXPECT_EQ(run_verb("\\", {ch('X')}, 0x10), DCMD_OK);
    EXPECT_EQ(take_out(), "0x10:           abcd            \n");
}

TEST_F(VerbsTest, FormatsListsEveryCharacter) {
    const host::Dcmd* d = session->registry().find_dcmd("formats");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(session->invoke(*d, 0, 0, 0, nullptr), DCMD_OK);
    std::string text = take_out();
    for (const char* line : {"X - hexadecimal int (4 bytes)\n", "a - dot as symbol+offset\n",
                             "C - character using C character notation (1 byte)\n",
                             "L - match int (4 bytes)\n", "W - write default radix unsigned int (4 bytes)\n",
                             "s - raw string (variable size)\n", "n - newline\n"})
        EXPECT_NE(text.find(line), std::string::npos) << line;
    mdb_arg_t x = ch('X');
    EXPECT_EQ(session->invoke(*d, 0, 0, 1, &x), DCMD_USAGE);
}

}  // namespace
}  // namespace mdbsim::test
