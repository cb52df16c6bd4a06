// The backends every typed sim test runs on; each must give identical results.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "mdbsim/sim/memory.hpp"
#include "mdbsim/sim/target.hpp"

namespace mdbsim::sim::test {

// The page, the unit sim tests count memory in.
inline constexpr uint64_t P = kPageSize;

struct FlatBackend {
    static constexpr Backend kind = Backend::flat;
    static constexpr bool has_direct = true;
    static std::unique_ptr<Memory> make() { return make_flat_memory(); }
};

struct UnicornBackend {
    static constexpr Backend kind = Backend::unicorn;
    static constexpr bool has_direct = false;
    static std::unique_ptr<Memory> make() {
        auto engine = shared_unicorn_engine();
        return make_unicorn_memory(engine, unicorn_vmem_window(free_unicorn_slot(*engine)));
    }
};

using Backends = ::testing::Types<FlatBackend, UnicornBackend>;

struct BackendNames {
    template <class T> static std::string GetName(int) { return to_string(T::kind); }
};

}  // namespace mdbsim::sim::test
