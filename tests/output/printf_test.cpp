// The mdb_printf conversion engine (modapi.md §12.2), table-driven through mdb_snprintf and a
// real session (radix, symbols and variables come from it).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <sys/mdb_modapi.h>

#include <cstdarg>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "output_fixture.hpp"

namespace mdbsim::test {
namespace {

std::string sp(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    std::vector<char> buf(1 << 17);
    size_t n = host::vsnprintf_mdb(*Session::current(), buf.data(), buf.size(), fmt, ap);
    va_end(ap);
    return std::string(buf.data(), std::min(n, buf.size() - 1));
}

struct Row {
    std::string got;
    std::string want;
};

void check(const std::vector<Row>& rows) {
    for (size_t i = 0; i < rows.size(); ++i)
        EXPECT_EQ(rows[i].got, rows[i].want) << "row " << i << " (want \"" << rows[i].want << "\")";
}

class PrintfTest : public SessionTest {};

TEST_F(PrintfTest, SignedAndUnsignedDecimal) {
    check({
        {sp("%d", -5), "-5"},
        {sp("%d", 42), "42"},
        {sp("%i", 7), "7"},
        {sp("%#d", 42), "0t42"},
        {sp("%#d", 5), "5"},
        {sp("%#d", -5), "-0t5"},  // the raw (unsigned) value decides the prefix
        {sp("%+d", 5), "+5"},
        {sp("%+d", -5), "-5"},
        {sp("%5d", 42), "   42"},
        {sp("%-5d|", 42), "42   |"},
        {sp("%05d", 42), "00042"},
        {sp("%05d", -42), "00-42"},  // zeros go before the sign
        {sp("%u", -1), "4294967295"},
        {sp("%#u", 10), "0t10"},
        {sp("%+u", 3), "+3"},
        {sp("%lu", ~0UL), "18446744073709551615"},
        {sp("%ld", -1L), "-1"},
        {sp("%lld", -9223372036854775807LL - 1), "-9223372036854775808"},
        {sp("%hu", 70000), "4464"},
        {sp("%hd", 0xffff), "-1"},
        {sp("%jd", static_cast<intmax_t>(-3)), "-3"},
        {sp("%zu", static_cast<size_t>(1) << 40), "1099511627776"},
    });
}

TEST_F(PrintfTest, HexAndOctal) {
    check({
        {sp("%x", 255), "ff"},
        {sp("%X", 255), "FF"},
        {sp("%#x", 255), "0xff"},
        {sp("%#x", 0), "0"},
        {sp("%#X", 255), "0XFF"},
        {sp("%#08x", 0x1f), "00000x1f"},
        {sp("%#-8x|", 0x1f), "0x1f    |"},
        {sp("%llx", 0x123456789abcdef0ULL), "123456789abcdef0"},
        {sp("%lx", -1L), "ffffffffffffffff"},
        {sp("%x", -1), "ffffffff"},
        {sp("%hx", 0x12345), "2345"},
        {sp("%+x", 5), "5"},
        {sp("%o", 8), "10"},
        {sp("%#o", 8), "010"},
        {sp("%#o", 0), "0"},
        {sp("%q", -8), "-10"},
        {sp("%#q", -8), "0-10"},  // the prefix precedes the signed text
        {sp("%#hq", 0xfff8), "0-10"},
    });
}

TEST_F(PrintfTest, CurrentRadix) {
    check({
        {sp("%r", 255), "ff"},
        {sp("%#r", 255), "0xff"},
        {sp("%#lr", 5L), "5"},
        {sp("%#lr", 0x2aL), "0x2a"},
        {sp("%R", -1), "-1"},
        {sp("%#R", -16), "-0x10"},
        {sp("%+R", 16), "+10"},
    });
    session->radix = 10;
    check({{sp("%r", 255), "255"}, {sp("%#r", 255), "0t255"}, {sp("%#r", 9), "9"}});
    session->radix = 8;
    check({{sp("%#r", 8), "0o10"}, {sp("%#r", 7), "7"}});
    session->radix = 2;
    check({{sp("%#r", 2), "0i10"}, {sp("%#r", 1), "1"}});
    session->radix = 3;
    check({{sp("%#r", 5), "12"}});
    session->radix = 16;
}

TEST_F(PrintfTest, PointersAndWidthQuestionMark) {
    void* p = reinterpret_cast<void*>(0x1234);
    check({
        {sp("%p", p), "1234"},
        {sp("%#p", p), "1234"},
        {sp("%?p|", p), "            1234|"},
        {sp("%-?p|", p), "1234            |"},
        {sp("%0?p", p), "0000000000001234"},
        {sp("%-?s|", "ab"), "ab              |"},
    });
}

TEST_F(PrintfTest, SymbolicAddresses) {
    target.symbols().add("kvm", "kvm_foo", 0x1000, 0x100);
    target.symbols().add("unix", "zsym", 0x3000, 0);
    check({
        {sp("%a", 0x1000L), "kvm_foo"},
        {sp("%a", 0x1010L), "kvm_foo+0x10"},
        {sp("%a", 0x1005L), "kvm_foo+5"},
        {sp("%a", 0x1100L), "0x1100"},  // past the end of a sized symbol: no match
        {sp("%a", 0x2000L), "0x2000"},
        {sp("%a", 5L), "5"},
        {sp("%a", 0x3100L), "zsym+0x100"},  // a zero-sized symbol covers what follows it
        {sp("%#a", 0x1010L), "kvm_foo+0x10:"},
        {sp("%#a", 0x2000L), "0x2000:"},
        {sp("%A", 0x2000L), ""},
        {sp("%#A", 0x2000L), "?"},
        {sp("%A", 0x1000L), "kvm_foo"},
        {sp("%-20a|", 0x1000L), "kvm_foo             |"},
        {sp("%lla", 0x1001ULL), "kvm_foo+1"},
    });
    session->radix = 10;
    check({{sp("%a", 0x1010L), "kvm_foo+0t16"}});
    session->radix = 16;
}

TEST_F(PrintfTest, Bitmasks) {
    static const mdb_bitmask_t bits[] = {
        {"T_WAKEABLE", 0x2, 0x2},
        {"T_TALLOCSTK", 0x8, 0x8},
        {"MODE_A", 0x30, 0x10},
        {nullptr, 0, 0},
    };
    check({
        {sp("%b", 0xa, bits), "T_WAKEABLE,T_TALLOCSTK"},
        {sp("%#b", 0xa | 0x40, bits), "T_WAKEABLE,T_TALLOCSTK,0x40"},
        {sp("%#b", 0x1, bits), "1"},
        {sp("%#b", 0x40, bits), "0x40"},
        {sp("%b", 0, bits), ""},
        {sp("%b", 0x12, bits), "T_WAKEABLE,MODE_A"},
        {sp("%b", 0x32, bits), "T_WAKEABLE"},
        {sp("%#b", 0x20, static_cast<const mdb_bitmask_t*>(nullptr)), "0x20"},
        {sp("%lb", 0x100000002UL, bits), "T_WAKEABLE"},
        {sp("%10b|", 0x2, bits), "T_WAKEABLE|"},  // width is ignored
    });
}

TEST_F(PrintfTest, CharactersAndStrings) {
    check({
        {sp("%c", 'A'), "A"},
        {sp("%3c", 'A'), "  A"},
        {sp("%s", "hi"), "hi"},
        {sp("%s", static_cast<const char*>(nullptr)), "<NULL>"},
        {sp("%-5s|", "ab"), "ab   |"},
        {sp("%5s", "ab"), "   ab"},
        {sp("%*s", 4, "ab"), "  ab"},
        {sp("%-*s|", 4, "ab"), "ab  |"},
        {sp("%%"), "%"},
        {sp("100%%"), "100%"},
    });
}

TEST_F(PrintfTest, UnknownConversionsArePrintedAndConsumeNothing) {
    check({
        {sp("%.2f"), ".2f"},
        {sp("%f"), "f"},
        {sp("%5f"), "    f"},
        {sp("%f %d", 7), "f 7"},
        {sp("abc%"), "abc"},
        {sp("%k%d", 3), "k3"},
    });
}

TEST_F(PrintfTest, Doubles) {
    check({
        {sp("%e", 3.9829317e-60), "+3.9829317e-60"},
        {sp("%E", 1.5), "+1.5000000E+00"},
        {sp("%e", -2.0), "-2.0000000e+00"},
        {sp("%g", 1.0), "+1.0000000000000000e+00"},
        {sp("%G", 0.25), "+2.5000000000000000E-01"},
        {sp("%lg", static_cast<long double>(3.0)), "+3.0000000000000000e+00"},
    });
}

TEST_F(PrintfTest, HumanReadableSizes) {
    check({
        {sp("%H", 0), "0"},
        {sp("%H", 1023), "1023"},
        {sp("%H", 1024), "1K"},
        {sp("%H", 1025), "1.00K"},
        {sp("%H", 1536), "1.50K"},
        {sp("%H", 10239), "10.0K"},
        {sp("%H", 10241), "10.0K"},
        {sp("%H", 1043968), "1020K"},
        {sp("%H", 2 << 20), "2M"},
        {sp("%llH", 1ULL << 60), "1E"},
        {sp("%lH", (3UL << 30) + (1UL << 29)), "3.50G"},
        {sp("%6H|", 1024), "    1K|"},
    });
}

TEST_F(PrintfTest, NetworkAddresses) {
    in6_addr v6{};
    v6.s6_addr[15] = 1;
    in6_addr mapped{};
    mapped.s6_addr[10] = 0xff;
    mapped.s6_addr[11] = 0xff;
    mapped.s6_addr[12] = 10;
    mapped.s6_addr[15] = 1;
    check({
        {sp("%I", htonl(0x7f000001)), "127.0.0.1"},
        {sp("%I", htonl(0xc0a80102)), "192.168.1.2"},
        {sp("%N", &v6), "::1"},
        {sp("%N", &mapped), "::ffff:10.0.0.1"},
    });
}

TEST_F(PrintfTest, TimeInLocalTime) {
    const char* old = std::getenv("TZ");
    std::string saved = old ? old : "";
    setenv("TZ", "UTC", 1);
    tzset();
    check({
        {sp("%Y", 0L), "1970 Jan  1 00:00:00"},
        {sp("%Y", 1000000000L), "2001 Sep  9 01:46:40"},
        {sp("%-24Y|", 0L), "1970 Jan  1 00:00:00    |"},
    });
    if (old)
        setenv("TZ", saved.c_str(), 1);
    else
        unsetenv("TZ");
    tzset();
}

TEST_F(PrintfTest, MarginTabsAndTabStops) {
    check({
        {sp("%mx"), std::string(16, ' ') + "x"},
        {sp("%4mx"), "    x"},
        {sp("a%mx"), "ax"},  // only on an empty line
        {sp("a%tb"), "a       b"},
        {sp("%2tb"), std::string(16, ' ') + "b"},
        {sp("ab%4Tc"), "ab  c"},
        {sp("abcd%4Tc"), "abcdc"},
        {sp("ab%Tc"), "abc"},
        {sp("%-#16lla%16T|", 0x1000ULL), "0x1000:         |"},
    });
}

TEST_F(PrintfTest, VariablesAndAttributes) {
    session->variables["myvar"] = 42;
    check({
        {sp("%<_myvar>"), "42"},
        {sp("[%<_nosuch>]"), "[]"},
        {sp("%5<_myvar>|"), "   42|"},
        {sp("%<b>bold%</b>"), "bold"},  // attributes emit nothing off a terminal
        {sp("%<u>u%</u>%<x>"), "u"},
        {sp("%<b"), ""},
    });
}

TEST(PrintfTerminalTest, AttributesOnATerminalAreEscapeSequences) {
    std::string written;
    auto o = Output::detached(Output::Kind::terminal, [&](std::string_view t) { written.append(t); });
    o->printf("%<b>bold%</b> %<u>u%</u>\n");
    EXPECT_EQ(written, "\033[1mbold\033[22m \033[4mu\033[24m\n");
}

TEST_F(PrintfTest, HugeWidthsAreClampedNotHung) {
    std::vector<char> buf(8);
    size_t n = host::snprintf_mdb(*session, buf.data(), buf.size(), "%*d", -1, 5);
    EXPECT_EQ(n, 65536u);
    EXPECT_STREQ(buf.data(), "       ");
    n = host::snprintf_mdb(*session, buf.data(), buf.size(), "%99999999999999999999d", 5);
    EXPECT_EQ(n, 65536u);
}

}  // namespace
}  // namespace mdbsim::test
