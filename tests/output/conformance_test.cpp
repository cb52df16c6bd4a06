// The illumos mdb acceptance cases for `=` (numbers/*.mdb and format/*.mdb of
// ../shared/conformance/illumos-mdb), driven the way the command language drives the verb:
// "VALUE[,COUNT]=F" → dot = VALUE, COUNT invocations of `=` with argv {CHAR F}.
#include <gtest/gtest.h>

#include <string>

#include "output_fixture.hpp"

namespace mdbsim::test {
namespace {

const std::string kConformanceMargin(16, ' ');

class ConformanceTest : public SessionTest {
protected:
    std::string value(uint64_t v, char f, std::optional<uint64_t> count = {}) {
        session->dot = v;
        run_verb("=", {ch(f)}, v, count);
        return take_out();
    }
    std::string lines(const std::string& line, int n) {
        std::string s;
        for (int i = 0; i < n; ++i) s += kConformanceMargin + line + "\n";
        return s;
    }
};

struct Case {
    uint64_t value;
    char format;
    const char* line;  // expected line after the margin, without the newline
};

TEST_F(ConformanceTest, NumbersHex) {
    const Case cases[] = {
        {0x123456789abcdefULL, 'K', "123456789abcdef "},
        {0xbadcafe, 'K', "badcafe         "},
        {0xbadcafe, 'E', "195939070            "},
    };
    for (const Case& c : cases) EXPECT_EQ(value(c.value, c.format), kConformanceMargin + c.line + "\n");
}

TEST_F(ConformanceTest, NumbersBase10) {
    const Case cases[] = {
        {23242526, 'E', "23242526             "},
        {123456, 'K', "1e240           "},
        {123, 'E', "123                  "},
        {5555555, 'E', "5555555              "},
        {44444444, 'E', "44444444             "},
    };
    for (const Case& c : cases) EXPECT_EQ(value(c.value, c.format), kConformanceMargin + c.line + "\n");
}

TEST_F(ConformanceTest, NumbersOctal) {
    const Case cases[] = {
        {0775, 'K', "1fd             "},
        {07, 'K', "7               "},
        {0123456, 'K', "a72e            "},
        {1, 'K', "1               "},
    };
    for (const Case& c : cases) EXPECT_EQ(value(c.value, c.format), kConformanceMargin + c.line + "\n");
}

TEST_F(ConformanceTest, NumbersBinary) {
    EXPECT_EQ(value(0b1000111, 'K'), kConformanceMargin + "47              \n");
    EXPECT_EQ(value(0b11101, 'j'), kConformanceMargin + "11101\n" +
                                        kConformanceMargin + "||| |\n" +
                                        kConformanceMargin + "||| +-- bit 0 mask 0x01\n" +
                                        kConformanceMargin + "||+---- bit 2 mask 0x04\n" +
                                        kConformanceMargin + "|+----- bit 3 mask 0x08\n" +
                                        kConformanceMargin + "+------ bit 4 mask 0x10\n");
    EXPECT_EQ(value(0b110, 'X'), kConformanceMargin + "6               \n");
    EXPECT_EQ(value(0b10000010001, 'K'), kConformanceMargin + "411             \n");
    EXPECT_EQ(value(0b10, 'K'), kConformanceMargin + "2               \n");
}

TEST_F(ConformanceTest, FormatCapitalGWrapsTwoPerLine) {
    // The count 10 is hexadecimal: sixteen items of 23 columns, two per line after the margin.
    EXPECT_EQ(value(~0ULL, 'G', 0x10), lines("1777777777777777777777 1777777777777777777777 ", 8));
    EXPECT_EQ(value(1ULL << 63, 'G', 0x10), lines("1000000000000000000000 1000000000000000000000 ", 8));
    EXPECT_EQ(value(1ULL << 60, 'G', 0x10), lines("100000000000000000000  100000000000000000000  ", 8));
    EXPECT_EQ(value(1ULL << 57, 'G', 0x10), lines("10000000000000000000   10000000000000000000   ", 8));
}

TEST_F(ConformanceTest, FormatPointerWrapsThreePerLine) {
    std::string item = "0x8000000000000000 ";
    EXPECT_EQ(value(1ULL << 63, 'p', 0x10), lines(item + item + item, 5) + kConformanceMargin + item + "\n");
}

TEST_F(ConformanceTest, SpecWorkedWidths) {
    // -1,10=J: 17-column items, three per line.
    std::string j = "ffffffffffffffff ";
    EXPECT_EQ(value(~0ULL, 'J', 0x10), lines(j + j + j, 5) + kConformanceMargin + j + "\n");
    // 15-digit J items fit four per line and the last pad becomes the newline.
    std::string k = "123456789abcdef";
    EXPECT_EQ(value(0x123456789abcdefULL, 'J', 8),
              kConformanceMargin + k + " " + k + " " + k + " " + k + "\n" + kConformanceMargin + k + " " + k + " " + k +
                  " " + k + "\n");
}

}  // namespace
}  // namespace mdbsim::test
