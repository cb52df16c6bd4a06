// A simulated target: a virtual and a physical address space and a symbol table.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "mdbsim/sim/ctf.hpp"
#include "mdbsim/sim/memory.hpp"
#include "mdbsim/sim/symbols.hpp"

namespace mdbsim::sim {

class Target {
public:
    // Builds both address spaces on the named backend (one shared engine for Unicorn).
    explicit Target(Backend backend = Backend::flat);
    Target(std::unique_ptr<Memory> vmem, std::unique_ptr<Memory> pmem);

    Memory& vmem() { return *vmem_; }
    Memory& pmem() { return *pmem_; }
    const Memory& vmem() const { return *vmem_; }
    const Memory& pmem() const { return *pmem_; }
    Backend backend() const { return backend_; }

    // Put a decorator in front of an address space (counting, fault injection).
    using Wrapper = std::function<std::unique_ptr<Memory>(std::unique_ptr<Memory>)>;
    void wrap_vmem(const Wrapper& w) { vmem_ = w(std::move(vmem_)); }
    void wrap_pmem(const Wrapper& w) { pmem_ = w(std::move(pmem_)); }

    SymbolTable& symbols() { return symbols_; }
    const SymbolTable& symbols() const { return symbols_; }

    // Whether mdb_vwrite and the write verbs may change memory.
    bool writable() const { return writable_; }
    void set_writable(bool w) { writable_ = w; }

    // Its types (CTF), in lookup order after the primary object: a synthesized target starts with
    // kernel_ctf(); an opened image or ELF object has what its .ctf sections hold.
    std::vector<CtfObject>& ctf() { return ctf_; }
    const std::vector<CtfObject>& ctf() const { return ctf_; }

    // Free-form facts about how the target was made (scenario name, parameters, corruptions),
    // shown by the CLI and saved into images.
    std::map<std::string, std::string>& info() { return info_; }
    const std::map<std::string, std::string>& info() const { return info_; }

    // Typed helpers for builders and tests; they throw std::runtime_error naming the fault
    // address. Writes are builder access (Memory::poke): they ignore protection.
    template <class T> T peek(uint64_t addr) const;
    template <class T> void put(uint64_t addr, const T& v) { put_bytes(addr, &v, sizeof v); }
    void put_bytes(uint64_t addr, const void* src, size_t len);
    void get_bytes(uint64_t addr, void* dst, size_t len) const;
    // The same on physical memory.
    template <class T> T ppeek(uint64_t paddr) const;
    template <class T> void pput(uint64_t paddr, const T& v) { pput_bytes(paddr, &v, sizeof v); }
    void pput_bytes(uint64_t paddr, const void* src, size_t len);
    void pget_bytes(uint64_t paddr, void* dst, size_t len) const;

private:
    Backend backend_ = Backend::flat;
    std::unique_ptr<Memory> vmem_;
    std::unique_ptr<Memory> pmem_;
    SymbolTable symbols_;
    bool writable_ = true;
    std::vector<CtfObject> ctf_;
    std::map<std::string, std::string> info_;
};

template <class T> T Target::peek(uint64_t addr) const {
    T v{};
    get_bytes(addr, &v, sizeof v);
    return v;
}

template <class T> T Target::ppeek(uint64_t paddr) const {
    T v{};
    pget_bytes(paddr, &v, sizeof v);
    return v;
}

}  // namespace mdbsim::sim
