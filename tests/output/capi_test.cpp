// The module API's output functions with C linkage (modapi.md §12.2–12.4), on the current session.
#include <gtest/gtest.h>
#include <sys/mdb_modapi.h>

#include <cerrno>
#include <string>

#include "mdbsim/mdb_errno.h"
#include "output_fixture.hpp"

namespace mdbsim::test {
namespace {

class CapiTest : public SessionTest {};

TEST_F(CapiTest, PrintfWritesToStandardOutputByLine) {
    mdb_printf("%s=%d\n", "x", 5);
    mdb_printf("partial");
    EXPECT_EQ(out, "x=5\n");
    mdb_flush();
    EXPECT_EQ(out, "x=5\npartial");
}

TEST_F(CapiTest, SnprintfReturnsTheFullLengthAndTruncates) {
    char buf[4];
    EXPECT_EQ(mdb_snprintf(buf, sizeof buf, "%s", "hello"), 5u);
    EXPECT_STREQ(buf, "hel");
    EXPECT_EQ(mdb_snprintf(nullptr, 0, "%d-%d", 10, 20), 5u);
    char one[1] = {'z'};
    EXPECT_EQ(mdb_snprintf(one, 1, "abc"), 3u);
    EXPECT_STREQ(one, "");
    char big[32];
    EXPECT_EQ(mdb_snprintf(big, sizeof big, "%#lx", 0x2aUL), 4u);
    EXPECT_STREQ(big, "0x2a");
}

TEST_F(CapiTest, SnprintfNeverWrapsOrIndents) {
    session->autowrap = true;
    mdb_inc_indent(4);
    std::string hundred(100, 'x');
    std::vector<char> buf(256);
    EXPECT_EQ(mdb_snprintf(buf.data(), buf.size(), "%s", hundred.c_str()), 100u);
    EXPECT_EQ(std::string(buf.data()), hundred);
    mdb_dec_indent(4);
    session->autowrap = false;
}

TEST_F(CapiTest, SnprintfTabsMeasureWithinTheStagingBuffer) {
    char buf[128];
    EXPECT_EQ(mdb_snprintf(buf, sizeof buf, "a\tb"), 9u);
    EXPECT_STREQ(buf, "a       b");
    std::string sixty(60, 's');
    mdb_snprintf(buf, sizeof buf, "%s\tb", sixty.c_str());
    EXPECT_EQ(std::string(buf), sixty + "\nb") << "a tab reaching column 64 becomes a newline";
}

TEST_F(CapiTest, WarnAppendsTheErrnoTextOnlyWithoutANewline) {
    errno = EMDB_NOMAP;
    mdb_warn("couldn't read kvm at %p", reinterpret_cast<void*>(0xfffffe00dead0000ULL));
    EXPECT_EQ(err, "mdb: couldn't read kvm at fffffe00dead0000: no mapping for address\n");
    err.clear();
    mdb_warn("plain message\n");
    EXPECT_EQ(err, "mdb: plain message\n");
    err.clear();
    errno = EINVAL;
    mdb_warn("bad %s", "thing");
    EXPECT_EQ(err, "mdb: bad thing: Invalid argument\n");
    EXPECT_EQ(errno, EINVAL) << "warning preserves errno";
    err.clear();
    errno = 0;
    mdb_warn("zero");
    EXPECT_EQ(err, "mdb: zero: Error 0\n");
    EXPECT_EQ(out, "") << "warnings go to standard error only";
}

TEST_F(CapiTest, IndentThroughTheApi) {
    EXPECT_EQ(mdb_inc_indent(4), 0u);
    mdb_printf("a\nb\n");
    EXPECT_EQ(mdb_dec_indent(4), 4u);
    mdb_printf("c\n");
    EXPECT_EQ(out, "    a\n    b\nc\n");
}

TEST_F(CapiTest, BitPictures) {
    session->begin_command();
    EXPECT_STREQ(mdb_one_bit(8, 3, 1), ".... 1...");
    EXPECT_STREQ(mdb_one_bit(8, 3, 0), ".... 0...");
    EXPECT_STREQ(mdb_one_bit(4, 0, 1), "...1");
    EXPECT_STREQ(mdb_inval_bits(8, 2, 4), "...x xx..");
    EXPECT_STREQ(mdb_inval_bits(16, 0, 15), "xxxx xxxx xxxx xxxx");
    EXPECT_STREQ(mdb_one_bit(0, 0, 1), "");
    EXPECT_STREQ(mdb_one_bit(-5, 0, 1), "");
    session->end_command();
}

TEST_F(CapiTest, NiceNumbers) {
    struct {
        uint64_t n;
        const char* want;
    } rows[] = {
        {0, "0"},         {1023, "1023"},        {1024, "1K"},           {1536, "1.50K"},
        {10 << 20, "10M"}, {(10 << 20) + (1 << 18), "10.2M"}, {1ULL << 62, "4E"},
        {1000 * 1024, "1000K"}, {~0ULL, "16.0E"},
    };
    for (auto& r : rows) {
        char buf[MDB_NICENUM_BUFLEN];
        mdb_nicenum(r.n, buf);
        EXPECT_STREQ(buf, r.want) << r.n;
    }
}

TEST_F(CapiTest, NiceTimes) {
    struct {
        int64_t ns;
        const char* want;
    } rows[] = {
        {0, "0ns"},
        {999, "t+999ns"},
        {5'000'000, "t+5ms"},
        {-5'000'000, "t-5ms"},
        {2'500, "t+2us"},
        {1'500'000'000, "t+1.5s"},
        {3'723'400'000'000, "t+01:02:03.4"},
        {(86'400LL + 2 * 3600 + 3 * 60 + 4) * 1'000'000'000LL + 500'000'000, "t+1d 02:03:04.5"},
    };
    for (auto& r : rows) {
        char buf[64];
        mdb_nicetime(r.ns, buf, sizeof buf);
        EXPECT_STREQ(buf, r.want) << r.ns;
    }
    char tiny[4];
    mdb_nicetime(5'000'000, tiny, sizeof tiny);
    EXPECT_STREQ(tiny, "t+5");
}

TEST_F(CapiTest, Fractions) {
    char buf[32];
    EXPECT_EQ(mdb_snprintfrac(buf, sizeof buf, 10, 4, 2), 4);
    EXPECT_STREQ(buf, "2.50");
    mdb_snprintfrac(buf, sizeof buf, 1, 3, 3);
    EXPECT_STREQ(buf, "0.333");
    mdb_snprintfrac(buf, sizeof buf, 7, 7, 0);
    EXPECT_STREQ(buf, "1");
    mdb_snprintfrac(buf, sizeof buf, ~0ULL, 1, 2);
    EXPECT_STREQ(buf, "18446744073709551615.00");
    EXPECT_EQ(mdb_snprintfrac(buf, sizeof buf, 1, 0, 2), -1);
    EXPECT_EQ(errno, EINVAL);
}

}  // namespace
}  // namespace mdbsim::test
