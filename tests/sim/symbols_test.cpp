#include <gtest/gtest.h>

#include "mdbsim/sim/symbols.hpp"

namespace mdbsim::sim::test {
namespace {

class SymbolTableTest : public ::testing::Test {
protected:
    void SetUp() override {
        t.add("unix", "memsegs", 0x1000, 8);
        t.add("unix", "_start", 0x2000, 0x100, STT_FUNC);
        t.add("genunix", "list_create", 0x3000, 0x40, STT_FUNC);
        t.add("genunix", "marker", 0x3800, 0);  // zero-sized
        t.add("kvm", "vm_list", 0x4000, 32);
        t.add("kvm", "memsegs", 0x5000, 8);  // same name, later object
        t.add("kvm", "big", 0x6000, 0x10000);
        t.add("kvm", "inside_big", 0x7000, 0x10);
    }
    SymbolTable t;
};

TEST_F(SymbolTableTest, ByNamePrefersTheFirstObject) {
    const Symbol* s = t.lookup("memsegs");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->object, "unix");
    EXPECT_EQ(s->value(), 0x1000u);
    EXPECT_EQ(s->size(), 8u);
    EXPECT_EQ(GELF_ST_TYPE(s->sym.st_info), STT_OBJECT);
    EXPECT_EQ(GELF_ST_BIND(s->sym.st_info), STB_GLOBAL);
    EXPECT_EQ(t.lookup("nonexistent"), nullptr);
    EXPECT_EQ(GELF_ST_TYPE(t.lookup("_start")->sym.st_info), STT_FUNC);
}

TEST_F(SymbolTableTest, ObjectScoped) {
    ASSERT_NE(t.lookup("kvm", "memsegs"), nullptr);
    EXPECT_EQ(t.lookup("kvm", "memsegs")->value(), 0x5000u);
    EXPECT_EQ(t.lookup("genunix", "memsegs"), nullptr);
    EXPECT_EQ(t.lookup("nosuch", "memsegs"), nullptr);
}

TEST_F(SymbolTableTest, RepeatInOneObjectReplaces) {
    size_t before = t.size();
    t.add("kvm", "vm_list", 0x4100, 32);
    EXPECT_EQ(t.size(), before);
    EXPECT_EQ(t.lookup("vm_list")->value(), 0x4100u);
    EXPECT_EQ(t.lookup_by_addr(0x4000, true), nullptr);
    ASSERT_NE(t.lookup_by_addr(0x4100, true), nullptr);
}

TEST_F(SymbolTableTest, Objects) {
    EXPECT_EQ(t.objects(), (std::vector<std::string>{"unix", "genunix", "kvm"}));
    EXPECT_TRUE(t.has_object("genunix"));
    EXPECT_FALSE(t.has_object("zfs"));
}

struct AddrCase {
    uint64_t addr;
    bool exact;
    const char* expect;  // nullptr: no match
};

TEST_F(SymbolTableTest, ByAddress) {
    const AddrCase cases[] = {
        {0x1000, true, "memsegs"},
        {0x1004, true, nullptr},
        {0x1004, false, "memsegs"},
        {0x1008, false, nullptr},  // past the 8-byte object, nothing unsized below
        {0x0fff, false, nullptr},
        {0x20ff, false, "_start"},
        {0x2100, false, nullptr},
        {0x3820, false, "marker"},   // zero-sized matches any distance
        {0x3fff, false, "marker"},
        {0x4010, false, "vm_list"},
        {0x4020, false, "marker"},   // vm_list ends: fall back to the zero-sized one below
        {0x7008, false, "inside_big"},
        {0x7010, false, "big"},      // nested: the enclosing sized symbol covers it
        {0x15fff, false, "big"},
        {0x16000, false, "marker"},
        {0x6000, true, "big"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(::testing::Message() << std::hex << c.addr << (c.exact ? " exact" : " fuzzy"));
        const Symbol* s = t.lookup_by_addr(c.addr, c.exact);
        if (!c.expect) {
            EXPECT_EQ(s, nullptr) << s->name;
        } else {
            ASSERT_NE(s, nullptr);
            EXPECT_EQ(s->name, c.expect);
        }
    }
}

TEST(SymbolTable, SameAddressPrefersSizedThenFirstObject) {
    SymbolTable t;
    t.add("a", "label", 0x100, 0);
    t.add("b", "sized_b", 0x100, 16);
    t.add("a", "sized_a", 0x100, 16);
    EXPECT_EQ(t.lookup_by_addr(0x100, true)->name, "sized_a");
    EXPECT_EQ(t.lookup_by_addr(0x108, false)->name, "sized_a");
    EXPECT_EQ(t.lookup_by_addr(0x110, false)->name, "label");
}

TEST(SymbolTable, EmptyAndLazyResort) {
    SymbolTable t;
    EXPECT_EQ(t.lookup_by_addr(0, false), nullptr);
    EXPECT_EQ(t.lookup("x"), nullptr);
    EXPECT_TRUE(t.objects().empty());
    t.add("o", "x", 0x50, 0);
    EXPECT_EQ(t.lookup_by_addr(0x60, false)->name, "x");
    t.add("o", "y", 0x58, 0);  // after a lookup: the index must be rebuilt
    EXPECT_EQ(t.lookup_by_addr(0x60, false)->name, "y");
    EXPECT_EQ(t.lookup_by_addr(UINT64_MAX, false)->name, "y");
}

}  // namespace
}  // namespace mdbsim::sim::test
