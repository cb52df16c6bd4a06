#include "unicorn_engine.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace mdbsim::sim {

UnicornEngine::UnicornEngine() {
    // The architecture only matters if code is ever emulated; x86-64 matches the targets we model.
    uc_err err = uc_open(UC_ARCH_X86, UC_MODE_64, &uc_);
    if (err != UC_ERR_OK)
        throw std::runtime_error(fmt::format("cannot open a Unicorn engine: {}", uc_strerror(err)));
}

UnicornEngine::~UnicornEngine() {
    if (uc_)
        uc_close(uc_);
}

void UnicornEngine::claim_window(uint64_t window) {
    if (!windows_.insert(window).second)
        throw std::invalid_argument(
            fmt::format("Unicorn window {:#x} is already used by another address space", window));
}

void UnicornEngine::release_window(uint64_t window) { windows_.erase(window); }

std::shared_ptr<UnicornEngine> make_unicorn_engine() { return std::make_shared<UnicornEngine>(); }

std::shared_ptr<UnicornEngine> shared_unicorn_engine() {
    // Unicorn engines are not thread-safe, so "one per process" means one per thread here.
    thread_local std::shared_ptr<UnicornEngine> engine = make_unicorn_engine();
    return engine;
}

unsigned free_unicorn_slot(const UnicornEngine& engine) {
    for (unsigned slot = 0; slot < (1u << 15); ++slot)
        if (!engine.window_in_use(unicorn_vmem_window(slot)) && !engine.window_in_use(unicorn_pmem_window(slot)))
            return slot;
    throw std::runtime_error("every Unicorn window slot of the engine is in use");
}

}  // namespace mdbsim::sim
