// mdb_dumpptr / mdb_dump64: layout flags, partial reads and failures.
#include <gtest/gtest.h>
#include <sys/mdb_modapi.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "mdbsim/mdb_errno.h"
#include "output_fixture.hpp"

namespace mdbsim::test {
namespace {

// 32 readable bytes 'A'.. at 0x1000; a read crossing the end fails with EMDB_PARTIAL, one
// wholly outside with EMDB_NOMAP.
struct FakeMemory {
    uint64_t base = 0x1000;
    std::vector<unsigned char> bytes;
    FakeMemory() {
        for (int i = 0; i < 32; ++i) bytes.push_back(static_cast<unsigned char>('A' + i));
    }
    ssize_t read(void* buf, size_t n, uint64_t addr) {
        uint64_t end = base + bytes.size();
        if (addr < base || addr >= end) {
            errno = EMDB_NOMAP;
            return -1;
        }
        if (addr + n > end) {
            errno = EMDB_PARTIAL;
            return -1;
        }
        std::memcpy(buf, &bytes[addr - base], n);
        return static_cast<ssize_t>(n);
    }
};

ssize_t read_ptr(void* buf, size_t n, uintptr_t addr, void* arg) {
    return static_cast<FakeMemory*>(arg)->read(buf, n, addr);
}
ssize_t read_u64(void* buf, size_t n, uint64_t addr, void* arg) {
    return static_cast<FakeMemory*>(arg)->read(buf, n, addr);
}

class DumpTest : public SessionTest {
protected:
    FakeMemory mem;
};

TEST_F(DumpTest, HeaderHexAndAscii) {
    unsigned flags = MDB_DUMP_ALIGN | MDB_DUMP_HEADER | MDB_DUMP_ASCII | MDB_DUMP_GROUP(4);
    EXPECT_EQ(mdb_dumpptr(0x1000, 0x20, flags, read_ptr, &mem), 0);
    EXPECT_EQ(take_out(),
              "       \\/ 1 2 3  4 5 6 7  8 9 a b  c d e f  v123456789abcdef\n"
              "1000:  41424344 45464748 494a4b4c 4d4e4f50  ABCDEFGHIJKLMNOP\n"
              "1010:  51525354 55565758 595a5b5c 5d5e5f60  QRSTUVWXYZ[\\]^_`\n");
}

TEST_F(DumpTest, AlignedAndTrimmedStartInsideAParagraph) {
    unsigned flags = MDB_DUMP_ALIGN | MDB_DUMP_HEADER | MDB_DUMP_ASCII | MDB_DUMP_TRIM |
                     MDB_DUMP_GROUP(4);
    EXPECT_EQ(mdb_dump64(0x1004, 8, flags, read_u64, &mem), 0);
    EXPECT_EQ(take_out(),
              "        0 1 2 3 \\/ 5 6 7  8 9 a b  c d e f  0123v56789abcdef\n"
              "1000:           45464748 494a4b4c           " "    EFGHIJKL    \n");
}

TEST_F(DumpTest, SingleByteGroupsAndSquish) {
    mem.bytes.assign(48, 'z');
    EXPECT_EQ(mdb_dumpptr(0x1000, 48, MDB_DUMP_SQUISH, read_ptr, &mem), 0);
    std::string row = "";
    for (int i = 0; i < 16; ++i) row += (i != 0 && i % 8 == 0) ? "  7a" : " 7a";
    EXPECT_EQ(take_out(), "1000: " + row + "\n*\n1020: " + row + "\n")
        << "the last line is never squished";
}

TEST_F(DumpTest, PartialReadsShowTheReadableBytesThenFail) {
    EXPECT_EQ(mdb_dumpptr(0x1018, 0x10, MDB_DUMP_GROUP(4), read_ptr, &mem), -1);
    EXPECT_EQ(take_out(), "1018:  595a5b5c 5d5e5f60" + std::string(18, ' ') + "\n");
    EXPECT_EQ(err, "mdb: failed to read data at 0x1020: no mapping for address\n");
}

TEST_F(DumpTest, UnreadableStartFails) {
    EXPECT_EQ(mdb_dumpptr(0x9000, 0x10, MDB_DUMP_GROUP(4), read_ptr, &mem), -1);
    EXPECT_EQ(take_out(), "");
    EXPECT_EQ(err, "mdb: failed to read data at 0x9000: no mapping for address\n");
}

TEST_F(DumpTest, NewDotAndRelativeAddresses) {
    session->dot = 0;
    EXPECT_EQ(mdb_dumpptr(0x1000, 0x10, MDB_DUMP_RELATIVE | MDB_DUMP_NEWDOT | MDB_DUMP_GROUP(4),
                          read_ptr, &mem),
              0);
    EXPECT_EQ(take_out(), "0:  41424344 45464748 494a4b4c 4d4e4f50\n");
    EXPECT_EQ(session->dot, 0x1010u);
    EXPECT_EQ(mdb_dumpptr(0x1000, 0x10, 0, nullptr, nullptr), -1);
}

}  // namespace
}  // namespace mdbsim::test
