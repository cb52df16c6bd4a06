// The output buffer model (modapi.md §12.1): lines, margin, INDENT, tabs and autowrap.
#include <gtest/gtest.h>

#include <string>

#include "mdbsim/host/output.hpp"
#include "output_fixture.hpp"

namespace mdbsim::test {
namespace {

class BufferTest : public ::testing::Test {
protected:
    std::unique_ptr<Output> make(Output::Kind kind = Output::Kind::file, int cols = 80) {
        return Output::detached(kind, [this](std::string_view t) { written.append(t); }, cols);
    }
    std::string written;
};

TEST_F(BufferTest, LinesReachTheSinkAtNewlineAndFlush) {
    auto o = make();
    o->puts("abc");
    EXPECT_EQ(written, "");
    EXPECT_EQ(o->pending(), "abc");
    o->puts("def\nxy");
    EXPECT_EQ(written, "abcdef\n");
    o->flush();
    EXPECT_EQ(written, "abcdef\nxy");
    EXPECT_EQ(o->column(), 2u) << "flush keeps the column";
    o->puts("z\n");
    EXPECT_EQ(written, "abcdef\nxyz\n");
}

TEST_F(BufferTest, IndentPrefillsTheMarginOnEveryLine) {
    auto o = make();
    o->set_indent(true);
    EXPECT_EQ(o->pending(), std::string(16, ' '));
    o->puts("a\nb");
    o->set_indent(false);
    o->implicit_newline();
    EXPECT_EQ(written, std::string(16, ' ') + "a\n" + std::string(16, ' ') + "b\n");
}

TEST_F(BufferTest, ImplicitNewlineDiscardsALineHoldingOnlyTheMargin) {
    auto o = make();
    o->set_indent(true);
    o->puts("x\n");
    o->implicit_newline();
    EXPECT_EQ(written, std::string(16, ' ') + "x\n");
    EXPECT_EQ(o->pending(), std::string(16, ' '));
    o->set_indent(false);
    EXPECT_EQ(o->pending(), "") << "INDENT off un-indents a margin-only line";
    o->implicit_newline();
    EXPECT_EQ(written, std::string(16, ' ') + "x\n");
    o->puts("y");
    o->implicit_newline();
    EXPECT_EQ(written, std::string(16, ' ') + "x\ny\n");
}

TEST_F(BufferTest, IncDecIndentFollowMdbRules) {
    auto o = make();
    EXPECT_EQ(o->inc_indent(4), 0u) << "off: absolute margin, INDENT on, returns 0";
    EXPECT_TRUE(o->indent);
    EXPECT_EQ(o->margin, 4u);
    EXPECT_EQ(o->pending(), "    ");
    EXPECT_EQ(o->inc_indent(2), 4u);
    EXPECT_EQ(o->margin, 6u);
    EXPECT_EQ(o->pending(), "      ") << "a margin-only line is re-indented";
    EXPECT_EQ(o->dec_indent(2), 6u);
    EXPECT_EQ(o->margin, 4u);
    EXPECT_EQ(o->dec_indent(4), 4u) << "margin - n == 0: INDENT off";
    EXPECT_FALSE(o->indent);
    EXPECT_EQ(o->margin, 16u);
    EXPECT_EQ(o->pending(), "");
    EXPECT_EQ(o->dec_indent(4), 0u) << "off: nothing";
    o->inc_indent(3);
    EXPECT_EQ(o->dec_indent(8), 3u) << "margin < n: INDENT off";
    EXPECT_FALSE(o->indent);
    EXPECT_EQ(o->margin, 16u);
}

TEST_F(BufferTest, AMarginWiderThanTheLineIsClampedInside) {
    auto o = make();
    o->inc_indent(200);
    EXPECT_EQ(o->pending(), std::string(79, ' '));
    o->implicit_newline();
    EXPECT_EQ(written, "") << "a line of nothing but the (clamped) margin is discarded";
}

TEST_F(BufferTest, TabReachingTheColumnLimitBecomesANewlineEvenWithoutAutowrap) {
    auto o = make();
    o->puts(std::string(70, 'a'));
    o->puts("\tb");
    EXPECT_EQ(o->column(), 73u);
    o->puts("\tc");
    EXPECT_EQ(written, std::string(70, 'a') + "  b\n");
    EXPECT_EQ(o->pending(), "c");
}

TEST_F(BufferTest, PipeHasNoColumnLimitForTabsOrWrapping) {
    auto o = make(Output::Kind::pipe);
    o->force_autowrap = true;
    EXPECT_FALSE(o->autowrap_active());
    o->puts(std::string(78, 'a') + "\tb" + std::string(100, 'c'));
    EXPECT_EQ(o->pending(), std::string(78, 'a') + "  b" + std::string(100, 'c'));
}

TEST_F(BufferTest, WithoutAutowrapLongTextIsNotSplit) {
    auto o = make();
    o->puts(std::string(100, 'x'));
    o->implicit_newline();
    EXPECT_EQ(written, std::string(100, 'x') + "\n");
}

TEST_F(BufferTest, AutowrapHardSplitsLiteralTextAtTheColumnLimit) {
    auto o = make();
    o->force_autowrap = true;
    o->puts(std::string(100, 'x'));
    o->implicit_newline();
    EXPECT_EQ(written, std::string(80, 'x') + "\n" + std::string(20, 'x') + "\n");
}

TEST_F(BufferTest, AutowrapWithMarginFitsFourFifteenDigitItemsPerLine) {
    auto o = make();
    o->force_autowrap = true;
    o->set_indent(true);
    for (int i = 0; i < 5; ++i) o->printf("%-16llx", 0x123456789abcdefULL);
    o->set_indent(false);
    o->implicit_newline();
    std::string item = "123456789abcdef";
    std::string margin(16, ' ');
    EXPECT_EQ(written, margin + item + " " + item + " " + item + " " + item + "\n" + margin + item +
                           " \n")
        << "the pad that would reach column 80 becomes the newline";
}

TEST_F(BufferTest, AutowrapMovesAPieceThatDoesNotFitToTheNextLine) {
    auto o = make();
    o->force_autowrap = true;
    o->puts(std::string(70, 'a'));
    o->printf("%s", "0123456789abcdef");
    o->implicit_newline();
    EXPECT_EQ(written, std::string(70, 'a') + "\n0123456789abcdef\n");
}

TEST_F(BufferTest, AMarginOnlyLineNeverWrapsFirst) {
    auto o = make();
    o->force_autowrap = true;
    o->set_indent(true);
    o->printf("%s", std::string(70, 'b').c_str());
    o->set_indent(false);
    o->implicit_newline();
    EXPECT_EQ(written, std::string(16, ' ') + std::string(64, 'b') + "\n" + std::string(16, ' ') +
                           std::string(6, 'b') + "\n");
}

TEST_F(BufferTest, ResetDiscardsPendingTextAndRestoresTheMargin) {
    auto o = make();
    o->inc_indent(30);
    o->puts("pending");
    o->reset();
    EXPECT_EQ(o->pending(), "");
    EXPECT_FALSE(o->indent);
    EXPECT_EQ(o->margin, 16u);
    o->implicit_newline();
    EXPECT_EQ(written, "");
}

class SessionBufferTest : public SessionTest {};

TEST_F(SessionBufferTest, TheAutowrapOptionWrapsTerminalAndFileOutput) {
    Output& o = session->out();
    o.puts(std::string(77, 'a'));
    o.printf(" %s", "word");
    o.implicit_newline();
    EXPECT_EQ(take_out(), std::string(77, 'a') + " word\n") << "autowrap is off by default";
    session->autowrap = true;
    o.puts(std::string(77, 'a'));
    o.printf(" %s", "word");
    o.implicit_newline();
    EXPECT_EQ(take_out(), std::string(77, 'a') + " \nword\n");
    session->autowrap = false;
}

}  // namespace
}  // namespace mdbsim::test
