// One Unicorn engine, shared by the address spaces that live in its disjoint windows.
#pragma once

#include <unicorn/unicorn.h>

#include <cstdint>
#include <set>

#include "mdbsim/sim/memory.hpp"

namespace mdbsim::sim {

class UnicornEngine {
public:
    UnicornEngine();
    ~UnicornEngine();
    UnicornEngine(const UnicornEngine&) = delete;
    UnicornEngine& operator=(const UnicornEngine&) = delete;

    uc_engine* handle() const { return uc_; }

    // A memory claims its window for its lifetime; a window already claimed is refused.
    void claim_window(uint64_t window);
    void release_window(uint64_t window);
    bool window_in_use(uint64_t window) const { return windows_.count(window) != 0; }

private:
    uc_engine* uc_ = nullptr;
    std::set<uint64_t> windows_;
};

}  // namespace mdbsim::sim
