// Target memory and symbol access through the C module API, on every backend.
#include <sys/mdb_modapi.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "host_fixture.hpp"
#include "mdbsim/mdb_errno.h"

namespace mdbsim::host::test {
namespace {

template <class T> class MemoryApiTest : public HostTest<T> {
protected:
    void SetUp() override {
        // One mapped page with nothing mapped after it.
        base = 0x70000000;
        this->target().vmem().map(base, sim::kPageSize, sim::kProtRW, "memtest");
        for (int i = 0; i < 16; ++i) this->target().template put<uint64_t>(base + 8 * i, 0x1000 + i);
    }
    uint64_t base = 0;
    uint64_t page_end() const { return base + sim::kPageSize; }
};
TYPED_TEST_SUITE(MemoryApiTest, Backends, BackendNames);

TYPED_TEST(MemoryApiTest, VreadReturnsTheBytes) {
    uint64_t v[2] = {};
    ASSERT_EQ(mdb_vread(v, sizeof v, this->base + 8), static_cast<ssize_t>(sizeof v));
    EXPECT_EQ(v[0], 0x1001u);
    EXPECT_EQ(v[1], 0x1002u);
    EXPECT_EQ(mdb_vread(v, 0, 0), 0);  // a zero-length read never faults
}

TYPED_TEST(MemoryApiTest, UnmappedReadFailsWithNoMap) {
    char buf[8];
    errno = 0;
    EXPECT_EQ(mdb_vread(buf, sizeof buf, this->page_end()), -1);
    EXPECT_EQ(errno, EMDB_NOMAP);
    EXPECT_STREQ(strerror_mdb(errno), "no mapping for address");
}

TYPED_TEST(MemoryApiTest, ReadAcrossTheEndIsPartial) {
    char buf[16];
    EXPECT_EQ(mdb_vread(buf, sizeof buf, this->page_end() - 8), -1);
    EXPECT_EQ(errno, EMDB_PARTIAL);
    EXPECT_STREQ(strerror_mdb(errno), "only 8 of 16 bytes could be read");
}

TYPED_TEST(MemoryApiTest, WritesHonourTheTargetsWritability) {
    uint64_t v = 0xfeed;
    ASSERT_EQ(mdb_vwrite(&v, sizeof v, this->base), 8);
    EXPECT_EQ(this->target().template peek<uint64_t>(this->base), 0xfeedu);
    this->target().set_writable(false);
    EXPECT_EQ(mdb_vwrite(&v, sizeof v, this->base), -1);
    EXPECT_EQ(errno, EMDB_TGTRDONLY);
    EXPECT_STREQ(strerror_mdb(errno), "target is not open for writing");
    EXPECT_EQ(mdb_writestr("x", this->base), -1);
    EXPECT_EQ(errno, EMDB_TGTRDONLY);
}

TYPED_TEST(MemoryApiTest, PhysicalSpaceIsSeparate) {
    sim::FrameAllocator frames(this->target());
    uint64_t pfn = frames.alloc();
    this->target().template pput<uint32_t>(pfn * sim::kPageSize + 4, 0xabcd1234);
    uint32_t v = 0;
    ASSERT_EQ(mdb_pread(&v, sizeof v, pfn * sim::kPageSize + 4), 4);
    EXPECT_EQ(v, 0xabcd1234u);
    EXPECT_EQ(mdb_aread(&v, sizeof v, pfn * sim::kPageSize + 4, reinterpret_cast<void*>(-2L)), 4);
    EXPECT_EQ(mdb_aread(&v, sizeof v, this->base, reinterpret_cast<void*>(-1L)), 4);
    EXPECT_EQ(v, 0x1000u);
}

struct ReadstrCase {
    const char* name;
    const char* text;      // written so that its last byte is the last byte of the page
    bool nul_in_memory;    // text followed by a NUL (else the page ends right after it)
    size_t bufsize;
    ssize_t result;
    const char* expect;
};

TYPED_TEST(MemoryApiTest, ReadstrTable) {
    const ReadstrCase cases[] = {
        {"fits", "hello", true, 32, 5, "hello"},
        {"truncated to n-1", "hello", true, 4, 3, "hel"},
        {"exactly n-1", "hello", true, 6, 5, "hello"},
        {"page end without nul", "tail", false, 32, 4, "tail"},
        {"single byte buffer", "hello", true, 1, 0, ""},
    };
    for (const ReadstrCase& c : cases) {
        SCOPED_TRACE(c.name);
        size_t len = std::strlen(c.text) + (c.nul_in_memory ? 1 : 0);
        uint64_t addr = this->page_end() - len;
        this->target().put_bytes(addr, c.text, len);
        char buf[64];
        std::memset(buf, 'Z', sizeof buf);
        ASSERT_EQ(mdb_readstr(buf, c.bufsize, addr), c.result);
        EXPECT_STREQ(buf, c.expect);
    }
    char buf[8];
    EXPECT_EQ(mdb_readstr(buf, sizeof buf, this->page_end()), -1);
    EXPECT_EQ(errno, EMDB_NOMAP);
}

TYPED_TEST(MemoryApiTest, WritestrWritesTheNul) {
    ASSERT_EQ(mdb_writestr("abc", this->base), 3);
    char buf[8];
    ASSERT_EQ(mdb_readstr(buf, sizeof buf, this->base), 3);
    EXPECT_STREQ(buf, "abc");
}

TYPED_TEST(MemoryApiTest, ReadvarTransfersTheSymbolSize) {
    this->target().symbols().add("unix", "four", this->base, 4);
    this->target().symbols().add("unix", "sixteen", this->base + 8, 16);
    this->target().symbols().add("unix", "straddles", this->page_end() - 8, 16);
    uint64_t buf[4] = {~0ull, ~0ull, ~0ull, ~0ull};
    ASSERT_EQ(mdb_readvar(buf, "four"), 4);
    EXPECT_EQ(buf[0], 0xffffffff00001000ull);  // only st_size bytes were copied
    ASSERT_EQ(mdb_readvar(buf, "sixteen"), 16);
    EXPECT_EQ(buf[1], 0x1002u);
    EXPECT_EQ(mdb_readvar(buf, "straddles"), -1);
    EXPECT_EQ(errno, EMDB_PARTIAL);
    EXPECT_EQ(mdb_readvar(buf, "nosuch"), -1);
    EXPECT_EQ(errno, EMDB_NOSYM);
    EXPECT_EQ(mdb_readsym(buf, 8, "sixteen"), 8);
    EXPECT_EQ(buf[0], 0x1001u);
    uint64_t w = 77;
    this->target().symbols().add("unix", "eight", this->base + 32, 8);
    ASSERT_EQ(mdb_writevar(&w, "eight"), 8);
    EXPECT_EQ(this->target().template peek<uint64_t>(this->base + 32), 77u);
}

TEST(SymbolApi, LookupsByNameObjectAndAddress) {
    HostHarness h;
    auto& syms = h.target.symbols();
    syms.add("unix", "memsegs", 0x1000, 8);
    syms.add("genunix", "vm_list", 0x2000, 32);
    syms.add("genunix", "func", 0x3000, 0x40, STT_FUNC);
    GElf_Sym sym;
    ASSERT_EQ(mdb_lookup_by_name("vm_list", &sym), 0);
    EXPECT_EQ(sym.st_value, 0x2000u);
    EXPECT_EQ(sym.st_size, 32u);
    ASSERT_EQ(mdb_lookup_by_name("genunix`func", &sym), 0);
    EXPECT_EQ(mdb_lookup_by_name("nosuch", &sym), -1);
    EXPECT_EQ(errno, EMDB_NOSYM);
    EXPECT_EQ(mdb_lookup_by_obj("genunix", "memsegs", &sym), -1);
    EXPECT_EQ(errno, EMDB_NOSYM);
    EXPECT_EQ(mdb_lookup_by_obj("nosuchobj", "memsegs", &sym), -1);
    EXPECT_EQ(errno, EMDB_NOOBJ);
    EXPECT_EQ(mdb_lookup_by_obj(MDB_OBJ_EXEC, "memsegs", &sym), 0);
    EXPECT_EQ(mdb_lookup_by_obj(MDB_OBJ_EVERY, "vm_list", &sym), 0);

    char name[8];
    ASSERT_EQ(mdb_lookup_by_addr(0x3010, MDB_SYM_FUZZY, name, sizeof name, &sym), 0);
    EXPECT_STREQ(name, "func");
    EXPECT_EQ(mdb_lookup_by_addr(0x3010, MDB_SYM_EXACT, name, sizeof name, &sym), -1);
    EXPECT_EQ(errno, EMDB_NOSYMADDR);
    ASSERT_EQ(mdb_lookup_by_addr(0x2000, MDB_SYM_EXACT, name, 4, &sym), 0);
    EXPECT_STREQ(name, "vm_");  // truncated and terminated

    std::vector<std::string> objects;
    auto collect = [](mdb_object_t* o, void* d) {
        static_cast<std::vector<std::string>*>(d)->push_back(o->obj_name);
        return 0;
    };
    EXPECT_EQ(mdb_object_iter(collect, &objects), 0);
    EXPECT_EQ(objects, (std::vector<std::string>{"unix", "genunix"}));
    auto stop = [](mdb_object_t*, void*) { return 7; };
    EXPECT_EQ(mdb_object_iter(stop, nullptr), 7);

    std::vector<std::string> funcs;
    auto collect_sym = [](mdb_symbol_t* s, void* d) {
        static_cast<std::vector<std::string>*>(d)->push_back(s->sym_name);
        return 0;
    };
    EXPECT_EQ(mdb_symbol_iter("genunix", MDB_SYMTAB, MDB_BIND_GLOBAL | MDB_TYPE_FUNC, collect_sym, &funcs), 0);
    EXPECT_EQ(funcs, (std::vector<std::string>{"func"}));
    EXPECT_EQ(mdb_symbol_iter("nosuch", MDB_SYMTAB, MDB_BIND_ANY | MDB_TYPE_ANY, collect_sym, &funcs), -1);
    EXPECT_EQ(errno, EMDB_NOOBJ);

    mdb_reg_t reg;
    EXPECT_EQ(mdb_getareg(1, "rip", &reg), -1);
    EXPECT_EQ(errno, EMDB_TGTNOTSUP);
}

}  // namespace
}  // namespace mdbsim::host::test
