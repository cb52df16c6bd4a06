#include "mdbsim/sim/target.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "mdbsim/sim/ctf.hpp"
#include "unicorn_engine.hpp"

namespace mdbsim::sim {
namespace {

std::string fault_message(const char* verb, const char* space, uint64_t addr, size_t len, Fault f) {
    return fmt::format("{} {} bytes at {:#x} in {}: {} fault at {:#x}", verb, len, addr, space,
                       to_string(f.kind), f.addr);
}

}  // namespace

// A synthesized target is a simulated illumos kernel: it has the kernel's types from the start.
Target::Target(Backend backend) : backend_(backend), ctf_{kernel_ctf()} {
    switch (backend) {
    case Backend::flat:
        vmem_ = make_flat_memory();
        pmem_ = make_flat_memory();
        return;
    case Backend::unicorn: {
        auto engine = shared_unicorn_engine();
        const unsigned slot = free_unicorn_slot(*engine);
        vmem_ = make_unicorn_memory(engine, unicorn_vmem_window(slot));
        pmem_ = make_unicorn_memory(engine, unicorn_pmem_window(slot));
        return;
    }
    case Backend::image:
        throw std::invalid_argument(
            "the image backend needs an image file; it cannot back a synthesized target");
    }
    throw std::invalid_argument("unknown memory backend");
}

Target::Target(std::unique_ptr<Memory> vmem, std::unique_ptr<Memory> pmem)
    : vmem_(std::move(vmem)), pmem_(std::move(pmem)) {
    if (!vmem_ || !pmem_)
        throw std::invalid_argument("Target needs both a virtual and a physical address space");
    try {
        backend_ = backend_from_string(vmem_->backend());
    } catch (const std::invalid_argument&) {
        backend_ = Backend::flat;  // a custom memory: report the plain host-memory kind
    }
}

void Target::put_bytes(uint64_t addr, const void* src, size_t len) {
    if (Fault f = vmem_->poke(addr, src, len))
        throw std::runtime_error(fault_message("writing", "virtual memory", addr, len, f));
}

void Target::get_bytes(uint64_t addr, void* dst, size_t len) const {
    if (Fault f = vmem_->read(addr, dst, len))
        throw std::runtime_error(fault_message("reading", "virtual memory", addr, len, f));
}

void Target::pput_bytes(uint64_t addr, const void* src, size_t len) {
    if (Fault f = pmem_->poke(addr, src, len))
        throw std::runtime_error(fault_message("writing", "physical memory", addr, len, f));
}

void Target::pget_bytes(uint64_t addr, void* dst, size_t len) const {
    if (Fault f = pmem_->read(addr, dst, len))
        throw std::runtime_error(fault_message("reading", "physical memory", addr, len, f));
}

}  // namespace mdbsim::sim
