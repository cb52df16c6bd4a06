// Error texts, mdb_strtoull's radix rules and failures, and mdb_getopts.
#include <sys/mdb_modapi.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "host_fixture.hpp"
#include "mdbsim/mdb_errno.h"

namespace mdbsim::host::test {
namespace {

TEST(ErrorText, MdbAndIllumosLibcTexts) {
    const std::pair<int, const char*> cases[] = {
        {0, "Error 0"},
        {EINVAL, "Invalid argument"},
        {ENOMEM, "Not enough space"},
        {EPERM, "Not owner"},
        {EBADF, "Bad file number"},
        {EMDB_NOSYM, "unknown symbol name"},
        {EMDB_NOWALK, "unknown walk name"},
        {EMDB_WALKINIT, "failed to initialize walk"},
        {EMDB_NOCTF, "no symbolic debug information available for module"},
        {EMDB_STKFRAME, "stack frame pointer is invalid"},
        {EMDB_END, "unknown error"},
        {99999, "unknown error"},
    };
    for (auto [e, text] : cases) EXPECT_STREQ(strerror_mdb(e), text) << e;
    errno = 0;
    EXPECT_EQ(set_errno(EMDB_NOMAP), -1);
    EXPECT_EQ(errno, EMDB_NOMAP);
}

class ArgsTest : public ::testing::Test {
protected:
    HostHarness h;
    // mdb_strtoull, or the abort's stderr text.
    std::string parse(const char* s, uint64_t* value) {
        try {
            *value = mdb_strtoull(s);
            return "";
        } catch (const CommandAbort&) {
            return h.take_err();
        }
    }
};

TEST_F(ArgsTest, StrtoullRadixRules) {
    struct Case {
        int radix;
        const char* text;
        uint64_t value;
    };
    const Case cases[] = {
        {16, "10", 0x10},           {10, "10", 10},          {8, "10", 8},
        {16, "0t10", 10},           {16, "0T10", 10},        {16, "0x10", 16},
        {10, "0x1f", 0x1f},         {16, "0i101", 5},        {16, "0o17", 15},
        {16, "0O17", 15},           {16, "ff", 0xff},        {16, "FF", 0xff},
        {16, "1_0", 0x10},          {16, "10__", 0x10},      {16, "0x1_2", 0x12},
        {16, "", 0},                {16, "0x", 0},           {16, "-1", ~0ull},
        {16, "0t-2", static_cast<uint64_t>(-2)},              {16, "+5", 5},
        {16, "ffffffffffffffff", ~0ull},
        {2, "101", 5},              {16, "0", 0},
    };
    for (const Case& c : cases) {
        h.session.radix = c.radix;
        uint64_t v = 12345;
        EXPECT_EQ(parse(c.text, &v), "") << c.text;
        EXPECT_EQ(v, c.value) << c.text << " radix " << c.radix;
    }
}

TEST_F(ArgsTest, StrtoullErrorsAbortTheCommand) {
    struct Case {
        int radix;
        const char* text;
        const char* message;
    };
    const Case cases[] = {
        {10, "1a", "mdb: digit 'a' is invalid in current base\n"},
        {16, "0t1f", "mdb: digit 'f' is invalid in current base\n"},
        {16, "0i2", "mdb: digit '2' is invalid in current base\n"},
        {16, "0o8", "mdb: digit '8' is invalid in current base\n"},
        {16, "_1", "mdb: digit '_' is invalid in current base\n"},
        {16, "0x_1", "mdb: digit '_' is invalid in current base\n"},
        {16, "1 ", "mdb: digit ' ' is invalid in current base\n"},
        {16, "10000000000000000", "mdb: specified value exceeds maximum immediate value\n"},
        {16, "0t18446744073709551616", "mdb: specified value exceeds maximum immediate value\n"},
    };
    for (const Case& c : cases) {
        h.session.radix = c.radix;
        uint64_t v = 0;
        EXPECT_EQ(parse(c.text, &v), c.message) << c.text;
    }
}

TEST_F(ArgsTest, ArgtoullByType) {
    mdb_arg_t s{MDB_TYPE_STRING, {}};
    s.a_un.a_str = "0t42";
    mdb_arg_t i{MDB_TYPE_IMMEDIATE, {}};
    i.a_un.a_val = 7;
    mdb_arg_t c{MDB_TYPE_CHAR, {}};
    c.a_un.a_char = 'A';
    EXPECT_EQ(mdb_argtoull(&s), 42u);
    EXPECT_EQ(mdb_argtoull(&i), 7u);
    EXPECT_EQ(mdb_argtoull(&c), 65u);
}

// Builds an argument vector from words; "$N" becomes an immediate N.
struct Argv {
    explicit Argv(std::initializer_list<const char*> words) {
        for (const char* w : words) {
            mdb_arg_t a{};
            if (w[0] == '$') {
                a.a_type = MDB_TYPE_IMMEDIATE;
                a.a_un.a_val = std::strtoull(w + 1, nullptr, 0);
            } else {
                a.a_type = MDB_TYPE_STRING;
                a.a_un.a_str = w;
            }
            args.push_back(a);
        }
    }
    int argc() const { return static_cast<int>(args.size()); }
    const mdb_arg_t* argv() const { return args.data(); }
    std::vector<mdb_arg_t> args;
};

struct Opts {
    uint_t bits = 0x100;
    const char* str = nullptr;
    uintptr_t ptr = 0;
    uint64_t u64 = 0;
    boolean_t set = B_FALSE;
    uintptr_t setval = 0;
};

int getopts(const Argv& a, Opts& o) {
    return mdb_getopts(a.argc(), a.argv(), 'a', MDB_OPT_SETBITS, 0x1, &o.bits, 'b', MDB_OPT_SETBITS, 0x2,
                       &o.bits, 'c', MDB_OPT_CLRBITS, 0x100, &o.bits, 's', MDB_OPT_STR, &o.str, 'n',
                       MDB_OPT_UINTPTR, &o.ptr, 'q', MDB_OPT_UINT64, &o.u64, 'p', MDB_OPT_UINTPTR_SET,
                       &o.set, &o.setval, NULL);
}

TEST_F(ArgsTest, GetoptsTable) {
    struct Case {
        const char* name;
        Argv argv;
        int index;
        uint_t bits;
        std::string str;
        uintptr_t ptr;
        uint64_t u64;
        bool set;
        uintptr_t setval;
        std::string err;
    };
    const Case cases[] = {
        {"nothing", Argv{}, 0, 0x100, "", 0, 0, false, 0, ""},
        {"operand first", Argv{"x", "-a"}, 0, 0x100, "", 0, 0, false, 0, ""},
        {"single", Argv{"-a"}, 1, 0x101, "", 0, 0, false, 0, ""},
        {"cluster", Argv{"-abc"}, 1, 0x3, "", 0, 0, false, 0, ""},
        {"separate words", Argv{"-a", "-b", "op"}, 2, 0x103, "", 0, 0, false, 0, ""},
        {"attached value", Argv{"-n10"}, 1, 0x100, "", 0x10, 0, false, 0, ""},
        {"separate value", Argv{"-n", "10"}, 2, 0x100, "", 0x10, 0, false, 0, ""},
        {"decimal value", Argv{"-n", "0t10"}, 2, 0x100, "", 10, 0, false, 0, ""},
        {"immediate value", Argv{"-q", "$5"}, 2, 0x100, "", 0, 5, false, 0, ""},
        {"cluster then value", Argv{"-an", "3"}, 2, 0x101, "", 3, 0, false, 0, ""},
        {"value ends cluster", Argv{"-nab"}, 1, 0x100, "", 0xab, 0, false, 0, ""},
        {"string", Argv{"-s", "hello", "rest"}, 2, 0x100, "hello", 0, 0, false, 0, ""},
        {"string attached", Argv{"-shi"}, 1, 0x100, "hi", 0, 0, false, 0, ""},
        {"uintptr set", Argv{"-p", "20"}, 2, 0x100, "", 0, 0, true, 0x20, ""},
        {"double dash stops and is returned", Argv{"-a", "--", "-b"}, 1, 0x101, "", 0, 0, false, 0, ""},
        {"dash word stops", Argv{"--x"}, 0, 0x100, "", 0, 0, false, 0, ""},
        {"lone dash is an operand", Argv{"-", "-a"}, 0, 0x100, "", 0, 0, false, 0, ""},
        {"immediate stops", Argv{"$3", "-a"}, 0, 0x100, "", 0, 0, false, 0, ""},
        {"illegal option", Argv{"-a", "-z"}, 1, 0x101, "", 0, 0, false, 0, "mdb: illegal option -- z\n"},
        {"missing value", Argv{"-a", "-n"}, 1, 0x101, "", 0, 0, false, 0,
         "mdb: option requires an argument -- n\n"},
        {"string needs a string", Argv{"-s", "$1"}, 0, 0x100, "", 0, 0, false, 0,
         "mdb: string argument required for -s\n"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        Opts o;
        EXPECT_EQ(getopts(c.argv, o), c.index);
        EXPECT_EQ(o.bits, c.bits);
        EXPECT_EQ(o.str ? std::string(o.str) : std::string(), c.str);
        EXPECT_EQ(o.ptr, c.ptr);
        EXPECT_EQ(o.u64, c.u64);
        EXPECT_EQ(o.set == B_TRUE, c.set);
        EXPECT_EQ(o.setval, c.setval);
        EXPECT_EQ(h.take_err(), c.err);
    }
}

TEST_F(ArgsTest, GetoptsBadNumberAbortsAfterSettingTheFlag) {
    Opts o;
    Argv a{"-p", "zz"};
    h.session.radix = 10;
    EXPECT_THROW(getopts(a, o), CommandAbort);
    EXPECT_EQ(o.set, B_TRUE);
    EXPECT_EQ(h.take_err(), "mdb: digit 'z' is invalid in current base\n");
}

TEST_F(ArgsTest, GetoptsAcceptsFiftyTwoOptions) {
    // Every letter, both cases: the 52-tuple maximum.
    uint_t bits[52] = {};
    Argv a{"-aZ"};
    int rc = mdb_getopts(a.argc(), a.argv(),
#define OPT(c, i) c, MDB_OPT_SETBITS, 1u, &bits[i]
        OPT('a', 0), OPT('b', 1), OPT('c', 2), OPT('d', 3), OPT('e', 4), OPT('f', 5), OPT('g', 6),
        OPT('h', 7), OPT('i', 8), OPT('j', 9), OPT('k', 10), OPT('l', 11), OPT('m', 12), OPT('n', 13),
        OPT('o', 14), OPT('p', 15), OPT('q', 16), OPT('r', 17), OPT('s', 18), OPT('t', 19),
        OPT('u', 20), OPT('v', 21), OPT('w', 22), OPT('x', 23), OPT('y', 24), OPT('z', 25),
        OPT('A', 26), OPT('B', 27), OPT('C', 28), OPT('D', 29), OPT('E', 30), OPT('F', 31),
        OPT('G', 32), OPT('H', 33), OPT('I', 34), OPT('J', 35), OPT('K', 36), OPT('L', 37),
        OPT('M', 38), OPT('N', 39), OPT('O', 40), OPT('P', 41), OPT('Q', 42), OPT('R', 43),
        OPT('S', 44), OPT('T', 45), OPT('U', 46), OPT('V', 47), OPT('W', 48), OPT('X', 49),
        OPT('Y', 50), OPT('Z', 51),
#undef OPT
        NULL);
    EXPECT_EQ(rc, 1);
    EXPECT_EQ(bits[0], 1u);
    EXPECT_EQ(bits[51], 1u);
    EXPECT_EQ(bits[1], 0u);
}

TEST_F(ArgsTest, MiscHelpers) {
    EXPECT_EQ(mdb_ffs(0), 0);
    EXPECT_EQ(mdb_ffs(1), 1);
    EXPECT_EQ(mdb_ffs(0x80), 8);
    EXPECT_EQ(mdb_ffs(1ull << 63), 64);
    uint32_t v = 0x11223344, out = 0;
    mdb_nhconvert(&out, &v, sizeof v);
    EXPECT_EQ(out, 0x44332211u);
    mdb_nhconvert(&v, &v, sizeof v);
    EXPECT_EQ(v, 0x44332211u);
    mdb_set_dot(0x1234);
    h.session.increment = 8;
    EXPECT_EQ(mdb_get_dot(), 0x1234u);
    mdb_set_dot(0x99);
    EXPECT_EQ(h.session.increment, 0u);
    EXPECT_EQ(mdb_get_state(), MDB_STATE_DEAD);
    char buf[4];
    EXPECT_EQ(mdb_get_xdata("anything", buf, sizeof buf), -1);
    EXPECT_EQ(errno, EMDB_NOXD);
    EXPECT_EQ(mdb_callback_add(99, [](void*) {}, nullptr), nullptr);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(mdb_prop_kernel, 1);
    EXPECT_EQ(mdb_prop_postmortem, 1);
}

TEST_F(ArgsTest, PipeAccessors) {
    mdb_pipe_t p{reinterpret_cast<uintptr_t*>(1), 9};
    mdb_get_pipe(&p);
    EXPECT_EQ(p.pipe_data, nullptr);
    EXPECT_EQ(p.pipe_len, 0u);

    h.session.pipe.input = PipeContext::Input{{10, 20, 30}, 1};
    h.session.pipe.output = PipeContext::Output{{1}, false, {}};
    mdb_get_pipe(&p);
    ASSERT_EQ(p.pipe_len, 2u);
    EXPECT_EQ(p.pipe_data[0], 20u);
    EXPECT_EQ(p.pipe_data[1], 30u);
    EXPECT_EQ(h.session.pipe.input->pos, 2u);  // consumed
    uintptr_t next[] = {7, 8};
    mdb_pipe_t np{next, 2};
    mdb_set_pipe(&np);
    EXPECT_EQ(h.session.pipe.output->addrs, (std::vector<uintptr_t>{7, 8}));
    EXPECT_TRUE(h.session.pipe.output->replaced);
    h.session.pipe = PipeContext{};

    EXPECT_THROW(mdb_get_pipe(nullptr), CommandAbort);
    EXPECT_EQ(h.take_err(), "mdb: dcmd failure: mdb_get_pipe invoked with NULL pointer\n");
    EXPECT_THROW(mdb_set_pipe(nullptr), CommandAbort);
    EXPECT_EQ(h.take_err(), "mdb: dcmd failure: mdb_set_pipe invoked with NULL pointer\n");
}

}  // namespace
}  // namespace mdbsim::host::test
