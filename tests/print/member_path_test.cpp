#include "member_path.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mdbsim::host::print {
namespace {

using K = PathStep::Kind;

std::vector<PathStep> steps(std::string_view path) {
    MemberPathCursor c(path);
    std::vector<PathStep> out;
    for (;;) {
        PathStep s = c.next();
        out.push_back(s);
        if (s.kind == K::done || s.kind == K::error) return out;
    }
}

void expect(const std::vector<PathStep>& got, const std::vector<std::pair<K, std::string>>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(got[i].kind, want[i].first) << "step " << i;
        EXPECT_EQ(got[i].text, want[i].second) << "step " << i;
    }
}

TEST(MemberPath, AllThreeDelimiters) {
    expect(steps("a.b[2]->c"), {{K::implicit, "a"}, {K::member, "b"}, {K::index, "2"}, {K::arrow, "c"}, {K::done, ""}});
}

TEST(MemberPath, LeadingDelimitersAreExplicit) {
    expect(steps("->next"), {{K::arrow, "next"}, {K::done, ""}});
    expect(steps(".arch.aliases"), {{K::member, "arch"}, {K::member, "aliases"}, {K::done, ""}});
    expect(steps("[3]"), {{K::index, "3"}, {K::done, ""}});
}

TEST(MemberPath, IndexTextIsKeptAsWritten) {
    expect(steps("slots[0x1f][0t7]"), {{K::implicit, "slots"}, {K::index, "0x1f"}, {K::index, "0t7"}, {K::done, ""}});
}

TEST(MemberPath, MemberNameIsFirstCharacterThenWordCharacters) {
    // mdb takes the first character unchecked: `.%x` looks up a member named "%x".
    expect(steps(".9a_b"), {{K::member, "9a_b"}, {K::done, ""}});
    expect(steps(".%x"), {{K::member, "%x"}, {K::done, ""}});
}

TEST(MemberPath, EmptyNameAtEnd) {
    expect(steps("a."), {{K::implicit, "a"}, {K::member, ""}, {K::done, ""}});
    expect(steps("a->"), {{K::implicit, "a"}, {K::arrow, ""}, {K::done, ""}});
}

TEST(MemberPath, BadDelimiterNamesTheCharacter) {
    expect(steps("a$b"), {{K::implicit, "a"}, {K::error, "'$' is not a valid delimiter"}});
    expect(steps("a-b"), {{K::implicit, "a"}, {K::error, "'-' is not a valid delimiter"}});
    expect(steps("[1]x"), {{K::index, "1"}, {K::error, "'x' is not a valid delimiter"}});
}

TEST(MemberPath, UnclosedIndex) {
    expect(steps("a[1"), {{K::implicit, "a"}, {K::error, "no trailing ']'"}});
}

TEST(MemberPath, StepsComeOneAtATime) {
    // The caller checks each step against the type before asking for the next, so an error
    // further on is not reported early.
    MemberPathCursor c("a.b$");
    EXPECT_EQ(c.next().kind, K::implicit);
    EXPECT_EQ(c.rest(), ".b$");
    EXPECT_EQ(c.next().kind, K::member);
    EXPECT_EQ(c.next().kind, K::error);
}

TEST(MemberPath, EmptyPathIsDone) { expect(steps(""), {{K::done, ""}}); }

}  // namespace
}  // namespace mdbsim::host::print
