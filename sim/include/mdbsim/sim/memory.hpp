// Target memory: one address space as an ops vector (illumos mdb's target ops, drgn's segments).
// Every backend keeps the same region map semantics; faults are typed and carry the first address
// that could not be transferred, which Unicorn 2.0.1 itself does not report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mdbsim::sim {

inline constexpr uint64_t kPageSize = 4096;

enum Prot : uint32_t {
    kProtNone = 0,
    kProtRead = 1,
    kProtWrite = 2,
    kProtExec = 4,
    kProtRW = kProtRead | kProtWrite,
};

enum class FaultKind {
    none,
    unmapped,    // no region covers the address
    protection,  // a region covers it but forbids the access
    injected,    // a fault-injection decorator refused it
};

const char* to_string(FaultKind kind);

struct Fault {
    FaultKind kind = FaultKind::none;
    uint64_t addr = 0;  // first address that could not be transferred

    explicit operator bool() const { return kind != FaultKind::none; }
    bool operator==(const Fault&) const = default;
};

struct Region {
    uint64_t base = 0;
    uint64_t size = 0;
    uint32_t prot = kProtNone;
    std::string name;

    uint64_t end() const { return base + size; }
    bool contains(uint64_t a) const { return a >= base && a - base < size; }
};

// Thrown for misuse of the map interface (overlap, misalignment): a builder bug, never target data.
struct MapError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Memory {
public:
    virtual ~Memory() = default;

    virtual std::string_view backend() const = 0;

    // Transfers len bytes. On a fault, the bytes before fault.addr have been transferred and the
    // rest have not. A zero-length access never faults.
    virtual Fault read(uint64_t addr, void* dst, size_t len) = 0;
    virtual Fault write(uint64_t addr, const void* src, size_t len) = 0;  // honours kProtWrite
    // Builder access: ignores protection but still needs a mapping.
    virtual Fault poke(uint64_t addr, const void* src, size_t len) = 0;

    // base and size must be multiples of kPageSize; overlapping an existing region is a MapError.
    // New memory reads as zero.
    virtual void map(uint64_t base, uint64_t size, uint32_t prot, std::string name) = 0;
    virtual void protect(uint64_t base, uint64_t size, uint32_t prot) = 0;
    virtual void unmap(uint64_t base, uint64_t size) = 0;

    virtual std::vector<Region> regions() const = 0;  // sorted by base
    virtual const Region* find_region(uint64_t addr) const = 0;

    // Fast path for backends whose bytes live in host memory: a pointer to len readable bytes at
    // addr when one region covers them all with kProtRead, else nullptr. Decorators return nullptr
    // unless they can honour their own semantics.
    virtual const uint8_t* direct(uint64_t addr, size_t len) { return nullptr; }
};

enum class Backend { flat, unicorn, image };
const char* to_string(Backend b);
Backend backend_from_string(std::string_view name);  // throws std::invalid_argument

// A flat backend keeps each region in host memory (anonymous mmap, so untouched pages cost nothing).
std::unique_ptr<Memory> make_flat_memory();

// A Unicorn backend stores bytes in a Unicorn engine. Several address spaces may share one engine
// (one engine per process when fuzzing); each gets a disjoint window starting at engine_base.
class UnicornEngine;
std::shared_ptr<UnicornEngine> make_unicorn_engine();
// Engine address = window + target address (mod 2^64). Map calls that would collide with another
// address space on the same engine, or wrap past the top of the engine's space, are a MapError;
// two live memories may not share a window (std::invalid_argument).
std::unique_ptr<Memory> make_unicorn_memory(std::shared_ptr<UnicornEngine> engine, uint64_t window);

// One target's pair of windows on a shared engine. Slot s keeps canonical x86-64 virtual addresses
// (low and high half) and physical addresses below 2^47 clear of every other slot; slot 0 puts the
// virtual space at window 0 (engine address = virtual address).
inline constexpr uint64_t kUnicornPhysLimit = 1ULL << 47;
inline constexpr uint64_t unicorn_vmem_window(unsigned slot) { return uint64_t(slot) << 49; }
inline constexpr uint64_t unicorn_pmem_window(unsigned slot) { return (uint64_t(slot) << 49) + (1ULL << 48); }
// The calling thread's engine, made on first use and reused by every Target(Backend::unicorn) on
// this thread ("one engine per process" for fuzzing).
std::shared_ptr<UnicornEngine> shared_unicorn_engine();
// The lowest slot whose two windows no live memory on the engine uses.
unsigned free_unicorn_slot(const UnicornEngine& engine);

// Decorators.
struct ReadCounts {
    uint64_t reads = 0;
    uint64_t bytes = 0;
    uint64_t writes = 0;
    uint64_t faults = 0;
};
class CountingMemory;  // see decorators.hpp
class FaultInjectingMemory;

}  // namespace mdbsim::sim
