#include "type_syntax.hpp"

#include <gtest/gtest.h>

#include <variant>

namespace mdbsim::host::print {
namespace {

mdb_arg_t str(const char* s) {
    mdb_arg_t a{};
    a.a_type = MDB_TYPE_STRING;
    a.a_un.a_str = s;
    return a;
}

TEST(TypeName, KeywordJoinsNextArgument) {
    mdb_arg_t args[] = {str("struct"), str("kvm"), str("nmemslots")};
    int argc = 3;
    const mdb_arg_t* argv = args;
    std::string name;
    ASSERT_EQ(args_to_typename(&argc, &argv, name), 0);
    EXPECT_EQ(name, "struct kvm");
    EXPECT_EQ(argc, 2);
    EXPECT_EQ(argv, args + 1);  // *argv is the type's last word
}

TEST(TypeName, SingleWord) {
    mdb_arg_t args[] = {str("list_t")};
    int argc = 1;
    const mdb_arg_t* argv = args;
    std::string name;
    ASSERT_EQ(args_to_typename(&argc, &argv, name), 0);
    EXPECT_EQ(name, "list_t");
    EXPECT_EQ(argc, 1);
}

TEST(TypeName, KeywordAloneAborts) {
    mdb_arg_t args[] = {str("union")};
    int argc = 1;
    const mdb_arg_t* argv = args;
    std::string name;
    EXPECT_EQ(args_to_typename(&argc, &argv, name), DCMD_ABORT);
}

TEST(TypeName, NotAStringIsUsage) {
    mdb_arg_t imm{};
    imm.a_type = MDB_TYPE_IMMEDIATE;
    int argc = 1;
    const mdb_arg_t* argv = &imm;
    std::string name;
    EXPECT_EQ(args_to_typename(&argc, &argv, name), DCMD_USAGE);
    mdb_arg_t args[] = {str("enum"), imm};
    argc = 2;
    argv = args;
    EXPECT_EQ(args_to_typename(&argc, &argv, name), DCMD_USAGE);
}

TEST(CCount, DecimalUnlessPrefixed) {
    EXPECT_EQ(parse_c_count("10"), 10u);
    EXPECT_EQ(parse_c_count("010"), 10u);
    EXPECT_EQ(parse_c_count("0x10"), 16u);
    EXPECT_EQ(parse_c_count("0t10"), 10u);
    EXPECT_EQ(parse_c_count("0o10"), 8u);
    EXPECT_EQ(parse_c_count("0i10"), 2u);
    EXPECT_EQ(parse_c_count("0"), 0u);
    EXPECT_FALSE(parse_c_count(""));
    EXPECT_FALSE(parse_c_count("0x"));
    EXPECT_FALSE(parse_c_count("1a"));
    EXPECT_FALSE(parse_c_count("99999999999999999999999"));
}

TEST(TypedefDecl, NamedStructWithArray) {
    auto r = parse_typedef_decl("struct foo { uint8_t foo[10]; }");
    ASSERT_TRUE(std::holds_alternative<TypedefDecl>(r));
    const auto& d = std::get<TypedefDecl>(r);
    EXPECT_FALSE(d.is_union);
    EXPECT_EQ(d.tag, "foo");
    EXPECT_EQ(d.tag_type, "struct foo");
    ASSERT_EQ(d.members.size(), 1u);
    EXPECT_EQ(d.members[0].type, "uint8_t");
    EXPECT_EQ(d.members[0].name, "foo");
    EXPECT_TRUE(d.members[0].array);
    EXPECT_EQ(d.members[0].count, 10u);
}

TEST(TypedefDecl, PointersOnEitherSide) {
    auto r = parse_typedef_decl("union { void **white; struct list * *l; int * p; }");
    ASSERT_TRUE(std::holds_alternative<TypedefDecl>(r));
    const auto& d = std::get<TypedefDecl>(r);
    EXPECT_TRUE(d.is_union);
    EXPECT_TRUE(d.tag.empty());
    ASSERT_EQ(d.members.size(), 3u);
    EXPECT_EQ(d.members[0].type, "void");
    EXPECT_EQ(d.members[0].pointers, 2);
    EXPECT_EQ(d.members[1].type, "struct list");
    EXPECT_EQ(d.members[1].pointers, 2);
    EXPECT_EQ(d.members[2].type, "int");
    EXPECT_EQ(d.members[2].pointers, 1);
}

std::string error_of(std::string_view defn) {
    auto r = parse_typedef_decl(defn);
    if (auto* e = std::get_if<TypedefError>(&r)) return e->message;
    return "(parsed)";
}

TEST(TypedefDecl, Errors) {
    EXPECT_EQ(error_of("struct"), "Invalid structure definition. Structure must start with either 'struct {' or "
                                  "'union {'\n");
    EXPECT_EQ(error_of("enum { int a; }"), "Invalid start of definition. Expected 'struct' or 'union'. Found: 'enum'\n");
    EXPECT_EQ(error_of("struct foo int a; }"),
              "Missing opening brace for struct foo int a; } definition. Expected '{'. Found: 'f'\n");
    EXPECT_EQ(error_of("struct 9foo { int a; }"), "The name 9foo is not a valid C identifier.\n");
    EXPECT_EQ(error_of("struct { int a; "), "Missing closing brace for struct declaration. Expected '}'.\n");
    EXPECT_EQ(error_of("struct { int a }"), "Cannot find semi-colon to delineate the end of a member.\n");
    EXPECT_EQ(error_of("struct {int; }"),
              "Missing both a name and a type declaration for a member. Instead, found 'int'\n");
    EXPECT_EQ(error_of("struct { int a[4; }"), "Found the beginning of an array size but no closing ']' in [4\n");
    EXPECT_EQ(error_of("struct { int a[-1]; }"), "Array lengths cannot be negative\n");
    EXPECT_EQ(error_of("struct { int 1a; }"), "The name 1a is not a valid C identifier.\n");
    EXPECT_EQ(error_of("struct { }"), "Cannot find semi-colon to delineate the end of a member.\n");
}

TEST(TypedefDecl, ValidateRepeatedMember) {
    // illumos' err.badstruct-repmemname.
    auto d = std::get<TypedefDecl>(parse_typedef_decl("struct { uintptr_t stone[7]; void **stone; }"));
    EXPECT_EQ(validate_typedef_decl(d), "duplicate name detected: stone\n");
}

TEST(TypedefDecl, ValidateFlexibleArrays) {
    auto ok = std::get<TypedefDecl>(parse_typedef_decl("struct { int n; char owner[0]; }"));
    EXPECT_FALSE(validate_typedef_decl(ok));
    auto notlast = std::get<TypedefDecl>(parse_typedef_decl("struct { char owner[0]; int n; }"));
    EXPECT_EQ(validate_typedef_decl(notlast),
              "Flexible array entries are only allowed to be the last entry in a struct\n");
    auto alone = std::get<TypedefDecl>(parse_typedef_decl("struct { char owner[0]; }"));
    EXPECT_EQ(validate_typedef_decl(alone), "Structs must have members aside from a flexible member\n");
    auto in_union = std::get<TypedefDecl>(parse_typedef_decl("union { int n; char owner[0]; }"));
    EXPECT_EQ(validate_typedef_decl(in_union), "Flexible array members are only valid in structs.\n");
}

TEST(Identifier, Rules) {
    EXPECT_TRUE(valid_identifier("_a9"));
    EXPECT_FALSE(valid_identifier(""));
    EXPECT_FALSE(valid_identifier("9a"));
    EXPECT_FALSE(valid_identifier("a-b"));
}

}  // namespace
}  // namespace mdbsim::host::print
