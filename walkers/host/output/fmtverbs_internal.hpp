// The format verbs' engine (modapi.md §17): where items are read from, the table of format
// characters, and printing `count` items of one character.
#pragma once

#include <sys/mdb_modapi.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace mdbsim::sim {
class Memory;
}

namespace mdbsim::host {

class Session;

// What a format character reads its items from.
class FormatSource {
public:
    virtual ~FormatSource() = default;
    // n bytes at addr: n on success, fewer when only a prefix exists, -1 with errno set.
    virtual ssize_t read(void* buf, size_t n, uint64_t addr) = 0;
    // A NUL-terminated string of at most n - 1 characters: its length, or -1 with errno set.
    virtual ssize_t readstr(char* buf, size_t n, uint64_t addr) = 0;
};

// Target memory (virtual for `/` and `?`, physical for `\`).
class MemorySource : public FormatSource {
public:
    explicit MemorySource(sim::Memory& m) : mem_(m) {}
    ssize_t read(void* buf, size_t n, uint64_t addr) override;
    ssize_t readstr(char* buf, size_t n, uint64_t addr) override;

private:
    sim::Memory& mem_;
};

// `=`: every read returns the low-order bytes of the value, wherever it is "read".
class ValueSource : public FormatSource {
public:
    explicit ValueSource(uint64_t v) : value_(v) {}
    ssize_t read(void* buf, size_t n, uint64_t addr) override;
    ssize_t readstr(char* buf, size_t n, uint64_t addr) override;

private:
    uint64_t value_;
};

enum class FormatKind { none, func, printf, match };

struct FormatChar {
    FormatKind kind = FormatKind::none;
    const char* printf_fmt = nullptr;  // for FormatKind::printf
    size_t size = 0;                   // bytes per item; 0 = variable; kNoSize = none
    bool is_float = false;
    bool writes = false;               // also a write verb (v w W Z)
    const char* help = nullptr;        // ::formats description
};
inline constexpr size_t kNoSize = static_cast<size_t>(-1);

const FormatChar& format_char(char c);

// Prints `count` items of format character c read from src at addr; returns the address after
// the last item consumed (== addr for characters that consume nothing). An unknown character
// only warns, as in mdb; *failed is set when the verb must fail (no disassembler for i/I).
uint64_t format_print(Session& s, FormatSource& src, uint64_t addr, uint64_t count, char c,
                      bool* failed);

// The dcmds.
int cmd_formats(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t* argv);

}  // namespace mdbsim::host
