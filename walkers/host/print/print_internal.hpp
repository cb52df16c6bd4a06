// Shared by the files of walkers/host/print/: where values are read from, the member-path
// evaluator, enum helpers and the dcmd entry points registered in print_builtins.cpp.
#pragma once

#include <mdb/mdb_ctf.h>
#include <sys/mdb_modapi.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace mdbsim::host::print {

// A source of bytes for ::print: the target's virtual or physical memory, or -i's value.
class Reader {
public:
    virtual ~Reader() = default;
    // n bytes, or -1 (errno set) / a short count.
    virtual ssize_t read(void* buf, size_t n, uint64_t addr) = 0;
    // mdb_tgt_readstr: up to n bytes, stopping at NUL; buf is NUL-terminated within n. Returns
    // the length read (n when no NUL came), or -1 when not even one byte could be read.
    ssize_t readstr(char* buf, size_t n, uint64_t addr);
};

class VirtualReader final : public Reader {
public:
    ssize_t read(void* buf, size_t n, uint64_t addr) override { return mdb_vread(buf, n, addr); }
};

class PhysicalReader final : public Reader {
public:
    ssize_t read(void* buf, size_t n, uint64_t addr) override { return mdb_pread(buf, n, addr); }
};

// ::print -i: the object is the 8 bytes of dot (little-endian); addresses are offsets into them.
class ImmediateReader final : public Reader {
public:
    ImmediateReader(uint64_t value, size_t typesize) : value_(value), typesize_(typesize) {}
    ssize_t read(void* buf, size_t n, uint64_t addr) override;

private:
    uint64_t value_;
    size_t typesize_;
};

// State a member path is evaluated against (::print's argument block).
struct MemberWalk {
    void* print_args;
};

// mdb's parse_member: evaluates `path` from type `id` at the walk's address. On success the
// address points at the member's enclosing byte, *idp is its type and *offp its bit offset in
// the last struct; *last_deref tells a path ending in `[0]` through a pointer. Warns and
// returns -1 otherwise.
int parse_member(MemberWalk& walk, const char* path, mdb_ctf_id_t id, mdb_ctf_id_t* idp, unsigned long* offp,
                 bool* last_deref);

// Member paths for ::printf: the member's address and type from `base` at addr.
int resolve_member_path(const char* path, mdb_ctf_id_t type, uintptr_t addr, uintptr_t* maddr,
                        mdb_ctf_id_t* mid, unsigned long* moff);

bool enum_is_bits(mdb_ctf_id_t id);
std::string enum_common_prefix(mdb_ctf_id_t id);
int enum_print_bits(mdb_ctf_id_t id, int64_t value, bool allprefix);

int cmd_print(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv);
void print_help();
int cmd_sizeof(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv);
int cmd_offsetof(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv);
int cmd_list(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv);
int cmd_array(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv);
int cmd_enum(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv);
void enum_help();
int cmd_printf(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv);
void printf_help();
int cmd_typedef(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv);
void typedef_help();

}  // namespace mdbsim::host::print
