// mdb_dumpptr / mdb_dump64 (modapi.md §12.4): the ::dump-style hex and ASCII dump, reading
// through a caller's callback, with the MDB_DUMP_* layout flags.
#include <sys/mdb_modapi.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "mdbsim/mdb_errno.h"

namespace {

constexpr int kParagraph = 16;

int dump_width(unsigned flags) { return kParagraph * static_cast<int>(((flags >> 16) & 0xf) + 1); }
int dump_group(unsigned flags) { return static_cast<int>(((flags >> 20) & 0xff) + 1); }

using ReadFn = ssize_t (*)(void* buf, size_t n, uint64_t addr, void* ctx);

// Separator before column i: one blank per group, two after every 8 single-byte columns.
const char* column_sep(int i, int group) {
    if (i % group != 0) return "";
    return (group == 1 && i != 0 && i % 8 == 0) ? "  " : " ";
}

void print_header(unsigned flags, int pad, int highlight) {
    bool unaligned = !(flags & MDB_DUMP_ALIGN);
    int group = dump_group(flags), width = dump_width(flags);
    int shift = unaligned ? highlight : 0;
    mdb_printf("%*s  ", pad, "");
    for (int i = 0; i < width; ++i) {
        mdb_printf("%s", column_sep(i, group));
        if (i == highlight && !unaligned)
            mdb_printf("\\/");
        else
            mdb_printf("%2x", (i + shift) & 0xf);
    }
    if (flags & MDB_DUMP_ASCII) {
        mdb_printf("  ");
        for (int i = 0; i < width; ++i) {
            if (i == highlight && !unaligned)
                mdb_printf("v");
            else
                mdb_printf("%x", (i + shift) & 0xf);
        }
    }
    mdb_printf("\n");
}

// One line; bytes before lmargin and in the last rmargin columns are left blank.
void print_line(uint64_t addr, const unsigned char* buf, unsigned flags, int pad, int lmargin,
                int rmargin) {
    int group = dump_group(flags), width = dump_width(flags);
    bool flip = (flags & MDB_DUMP_ENDIAN) != 0;
    mdb_printf("%0*llx: ", pad, static_cast<unsigned long long>(addr));
    auto blank = [&](int i) { return i < lmargin || width - i <= rmargin; };
    for (int i = 0; i < width; ++i) {
        mdb_printf("%s", column_sep(i, group));
        if (blank(i)) {
            mdb_printf("  ");
        } else if (flip) {
            int j = group * (i / group + 1) - (i % group) - 1;
            mdb_printf("%02x", buf[j]);
        } else {
            mdb_printf("%02x", buf[i]);
        }
    }
    if (flags & MDB_DUMP_ASCII) {
        std::string text(static_cast<size_t>(width), ' ');
        for (int i = 0; i < width; ++i) {
            if (blank(i)) continue;
            text[static_cast<size_t>(i)] = (buf[i] < ' ' || buf[i] > '~') ? '.' : static_cast<char>(buf[i]);
        }
        mdb_printf("  %s", text.c_str());
    }
    mdb_printf("\n");
}

int address_digits(uint64_t addr, uint64_t len, unsigned flags) {
    if (flags & MDB_DUMP_PEDANT) return 16;
    if (len > 1 || (addr != 0 && len == 1)) --len;
    uint64_t x = (flags & MDB_DUMP_RELATIVE) ? len : len + addr;
    int bits = 0;
    for (; x != 0; x >>= 1) ++bits;
    return (bits + 3) / 4;
}

int dump(uint64_t addr, uint64_t len, unsigned flags, ReadFn read, void* ctx) {
    const uint64_t addrmax = ~0ULL;
    uint64_t reqlen = len;
    if (len != 0 && len - 1 > addrmax - addr) len = addrmax - addr + (addr != 0 ? 1 : 0);

    int group = dump_group(flags), width = dump_width(flags);
    if (((group - 1) & group) != 0 || width % group != 0) {
        group = 4;
        flags = (flags & 0xfffffu) | MDB_DUMP_GROUP(4);
    }
    if (flags & MDB_DUMP_ENDIAN) {
        flags &= ~static_cast<unsigned>(MDB_DUMP_ALIGN | MDB_DUMP_HEADER | MDB_DUMP_ASCII);
        if (flags & MDB_DUMP_TRIM) len -= len % static_cast<uint64_t>(group);
    }
    int l;
    if (flags & MDB_DUMP_RELATIVE) {
        flags &= ~static_cast<unsigned>(MDB_DUMP_ALIGN);
        l = 0;
    } else {
        l = static_cast<int>(addr % kParagraph);
    }

    int pad = address_digits(addr, len, flags);
    uint64_t offset = 0;
    if (flags & MDB_DUMP_ALIGN) {
        len += static_cast<uint64_t>(l);
        addr -= static_cast<uint64_t>(l);
        offset = static_cast<uint64_t>(l);
    }
    if (flags & MDB_DUMP_HEADER) print_header(flags, pad, l);
    if (!(flags & MDB_DUMP_TRIM) || !(flags & MDB_DUMP_ALIGN)) l = 0;

    std::vector<unsigned char> cur(static_cast<size_t>(width)), prev(static_cast<size_t>(width));
    bool prev_skipped = false, prev_valid = false;
    int r = 0;
    int err = 0;
    uint64_t i = 0;
    for (; i < len && r == 0; i += static_cast<uint64_t>(width)) {
        if (static_cast<uint64_t>(width) >= len - i) {
            prev_valid = false;
            if (flags & MDB_DUMP_TRIM) r = width - static_cast<int>(len - i);
            if (static_cast<uint64_t>(width) - 1 > addrmax - (addr + i))
                r = std::max(r, width - static_cast<int>(addrmax - (addr + i)) - 1);
        }
        int got = l;
        int wanted = width - r;
        bool stop = false;
        while (got < wanted) {
            ssize_t j = read(&cur[static_cast<size_t>(got)], static_cast<size_t>(wanted - got),
                             addr + i + static_cast<uint64_t>(got), ctx);
            if (j <= 0) {
                if (i + static_cast<uint64_t>(got) < offset) {
                    // Unreadable bytes before the requested start only widen the left margin.
                    ++l;
                    j = 1;
                } else {
                    r += wanted - got;
                    prev_valid = false;
                    if (j < 0) err = errno;
                    if (got == l) {
                        i += static_cast<uint64_t>(width);
                        stop = true;
                    }
                    break;
                }
            }
            got += static_cast<int>(j);
        }
        if (stop) break;

        if ((flags & MDB_DUMP_SQUISH) && prev_valid && cur == prev) {
            if (!prev_skipped) {
                mdb_printf("*\n");
                prev_skipped = true;
            }
        } else {
            print_line((flags & MDB_DUMP_RELATIVE) ? i : addr + i, cur.data(), flags, pad, l, r);
            prev_skipped = false;
        }
        if (l == 0) prev_valid = true;
        std::swap(cur, prev);
        l = 0;
    }

    if (i - static_cast<uint64_t>(r) - offset >= reqlen) {
        if (flags & MDB_DUMP_NEWDOT) mdb_set_dot(addr + offset + reqlen);
    } else if (err != 0) {
        errno = err;
        mdb_warn("failed to read data at %#llx", static_cast<unsigned long long>(addr + i - static_cast<uint64_t>(r)));
        return -1;
    }
    return 0;
}

// A callback that fails with EMDB_PARTIAL is retried a byte at a time, so a dump shows every
// readable byte up to the first hole.
template <class Cb, class Addr>
ssize_t read_bytewise_on_partial(Cb cb, void* arg, void* buf, size_t n, uint64_t addr) {
    ssize_t r = cb(buf, n, static_cast<Addr>(addr), arg);
    if (r >= 0 || errno != EMDB_PARTIAL) return r;
    size_t done = 0;
    auto* p = static_cast<unsigned char*>(buf);
    while (done < n && cb(p + done, 1, static_cast<Addr>(addr + done), arg) == 1) ++done;
    return done > 0 ? static_cast<ssize_t>(done) : -1;
}

struct PtrCtx {
    mdb_dumpptr_cb_t cb;
    void* arg;
};
struct U64Ctx {
    mdb_dump64_cb_t cb;
    void* arg;
};

ssize_t ptr_read(void* buf, size_t n, uint64_t addr, void* ctx) {
    auto* c = static_cast<PtrCtx*>(ctx);
    return read_bytewise_on_partial<mdb_dumpptr_cb_t, uintptr_t>(c->cb, c->arg, buf, n, addr);
}

ssize_t u64_read(void* buf, size_t n, uint64_t addr, void* ctx) {
    auto* c = static_cast<U64Ctx*>(ctx);
    return read_bytewise_on_partial<mdb_dump64_cb_t, uint64_t>(c->cb, c->arg, buf, n, addr);
}

}  // namespace

extern "C" {

int mdb_dumpptr(uintptr_t addr, size_t len, uint_t flags, mdb_dumpptr_cb_t func, void* arg) {
    if (func == nullptr) {
        errno = EINVAL;
        return -1;
    }
    PtrCtx ctx{func, arg};
    return dump(addr, len, flags, ptr_read, &ctx);
}

int mdb_dump64(uint64_t addr, uint64_t len, uint_t flags, mdb_dump64_cb_t func, void* arg) {
    if (func == nullptr) {
        errno = EINVAL;
        return -1;
    }
    U64Ctx ctx{func, arg};
    return dump(addr, len, flags, u64_read, &ctx);
}

}  // extern "C"
