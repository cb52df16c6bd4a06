// Compiled formats (output_printf.cpp): a format is parsed once and replayed. Every row runs
// twice, compiled and interpreted, on standard output of a session (a file stream, with and
// without autowrap) and through mdb_snprintf (a pipe-like staging buffer): the bytes must match.
#include <gtest/gtest.h>
#include <sys/mdb_modapi.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "output_fixture.hpp"

namespace mdbsim::test {
namespace {

struct PlansOff {
    PlansOff() { host::set_printf_plans(false); }
    ~PlansOff() { host::set_printf_plans(true); }
};

class PlanTest : public SessionTest {
protected:
    // What `call` prints on standard output and what it formats with mdb_snprintf, compiled
    // (first) or interpreted.
    std::string run(const std::function<void()>& call, bool compiled) {
        if (compiled) {
            call();
        } else {
            PlansOff off;
            call();
        }
        return take_out();
    }
    host::PrintfPlanStats stats() { return host::printf_plan_stats(*session); }
    void expect_same(const char* what, const std::function<void()>& call) {
        for (bool wrap : {false, true}) {
            session->autowrap = wrap;
            const std::string compiled = run(call, true);
            const host::PrintfPlanStats first = stats();
            const std::string again = run(call, true);  // from the cache this time
            const host::PrintfPlanStats second = stats();
            const std::string interpreted = run(call, false);
            EXPECT_EQ(compiled, interpreted) << what << (wrap ? " (autowrap)" : "");
            EXPECT_EQ(again, interpreted) << what << " (cached)" << (wrap ? " (autowrap)" : "");
            // The second run compiles nothing; without autowrap every call has a plan to replay
            // unless its format needs the stream, and each case makes at least one such call.
            EXPECT_EQ(second.compiled, first.compiled) << what << ": compiled again";
            if (!wrap) {
                EXPECT_GT(second.replayed, first.replayed) << what << ": no plan replayed";
            }
            EXPECT_EQ(stats().replayed, second.replayed) << what << ": a plan replayed with plans off";
        }
        session->autowrap = false;
    }
};

std::string snp(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char buf[4096];
    host::vsnprintf_mdb(*Session::current(), buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}

#define SAME(...)                                                  \
    expect_same(#__VA_ARGS__, [&] {                                \
        mdb_printf(__VA_ARGS__);                                   \
        mdb_printf("\n");                                          \
        std::string s = snp(__VA_ARGS__);                          \
        mdb_printf("[%s]\n", s.c_str());                           \
    })

TEST_F(PlanTest, NumbersMatchTheInterpreter) {
    SAME("%d %i %u %x %X %o %q %p", -5, 7, -1, 0xbeefU, 0xbeefU, 8U, -8, reinterpret_cast<void*>(0x1234));
    SAME("%5d|%-5d|%05d|%05d|%+d|%+u", 42, 42, 42, -42, 5, 3U);
    SAME("%#d %#u %#x %#X %#o %#q", 42, 10U, 0x10U, 0x10U, 8U, 8);
    SAME("%#x %#o", 0U, 0U);  // no prefix for zero
    SAME("%lx %llx %lu %ld %hd %hu %jd %zu", ~0UL, ~0ULL, ~0UL, -1L, 0xffff, 70000, -3L, size_t{9});
    SAME("%?p|%-?p|%0?p", reinterpret_cast<void*>(0xabc), reinterpret_cast<void*>(0xabc),
         reinterpret_cast<void*>(0xabc));
    SAME("%r %R %#r", 255UL, -255L, 255UL);
    SAME("%017lld|%3d|%1d", 123456789LL, 1234567, 99);
}

TEST_F(PlanTest, StringsCharactersAndOddConversions) {
    SAME("%s|%10s|%-10s|", "abc", "abc", "abc");
    SAME("%s", static_cast<const char*>(nullptr));
    SAME("a%sb%sc", "line\nbreak", "tab\there");
    SAME("%c%c%c", 'x', 'y', '\n');
    SAME("%% %5% %k %-3k|");  // unknown conversions print themselves, padded
    SAME("trailing %");        // a lone '%' prints nothing
    SAME("%s", "");
}

TEST_F(PlanTest, WidthsFromArguments) {
    SAME("%*d|%-*d|%0*d", 6, 42, 6, 42, 6, 42);
    SAME("%*s|", 8, "ab");
    SAME("%*5d|%5*d|%?*d", 9, 42, 9, 42, 9, 42);  // star mixed with digits: interpreted
    SAME("%*d", -1, 7);                            // a negative width clamps, as interpreted
}

TEST_F(PlanTest, TabsNewlinesAndLongText) {
    SAME("\ta\tb\n\tc");
    SAME("x\n\ny\n");
    SAME("%s%s", std::string(700, 'a').c_str(), std::string(900, 'b').c_str());
    SAME("%600d|%-600s|", 1, "z");
    const std::string lit = std::string(1500, 'L') + "%d\n" + std::string(30, 'M');
    expect_same("long literal", [&] { mdb_printf(lit.c_str(), 5); });
}

TEST_F(PlanTest, ConversionsThatNeedTheStreamAreInterpreted) {
    mdb_bitmask_t bits[] = {{"A", 1, 1}, {"B", 2, 2}, {nullptr, 0, 0}};
    SAME("%b %a %t| %m| %T|", 3, bits, 0x10UL);
    SAME("%<_nosuchvar>|%<b>bold%</b>|%H", 2048ULL);
}

TEST_F(PlanTest, IndentAndMarginApply) {
    expect_same("indent", [&] {
        mdb_inc_indent(4);
        mdb_printf("%p %s\n%d\n", reinterpret_cast<void*>(0x10), "x", 3);
        mdb_dec_indent(4);
    });
}

TEST_F(PlanTest, AFormatIsCompiledOnceAndReplayedOnEveryCall) {
    const host::PrintfPlanStats before = stats();
    for (int i = 0; i < 3; ++i) mdb_printf("%d|%s\n", i, "x");
    host::PrintfPlanStats now = stats();
    EXPECT_EQ(now.compiled - before.compiled, 1U);
    EXPECT_EQ(now.replayed - before.replayed, 3U);

    const host::PrintfPlanStats none = now;
    mdb_printf("%a|%d\n", 0x10UL, 1);  // %a looks up a symbol: never a plan
    {
        PlansOff off;
        mdb_printf("%d|%s\n", 3, "x");
    }
    session->autowrap = true;  // each piece is checked against the column: interpreted
    mdb_printf("%d|%s\n", 4, "x");
    session->autowrap = false;
    now = stats();
    EXPECT_EQ(now.compiled, none.compiled);
    EXPECT_EQ(now.replayed, none.replayed);
    EXPECT_EQ(take_out(), "0|x\n1|x\n2|x\n0x10|1\n3|x\n4|x\n");
}

TEST_F(PlanTest, AFormatBufferRewrittenInPlaceIsReadAgain) {
    char fmt[32];
    std::strcpy(fmt, "first %d\n");
    mdb_printf(fmt, 1);
    std::strcpy(fmt, "second %x\n");
    mdb_printf(fmt, 255);
    std::strcpy(fmt, "se");  // shorter than the cached text: compared up to its end only
    const host::PrintfPlanStats rewritten = stats();
    mdb_printf(fmt);
    EXPECT_EQ(stats().replayed, rewritten.replayed);  // that address is interpreted from now on
    mdb_printf("\n");
    EXPECT_EQ(take_out(), "first 1\nsecond ff\nse\n");
}

}  // namespace
}  // namespace mdbsim::test
