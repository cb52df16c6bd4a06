// The rows sim/CMakeLists.txt generates from MDBSIM_LAYOUT_PROFILES (layout_profiles.cpp).
#pragma once

#include <cstddef>

namespace mdbsim::sim::kvm::detail {

struct LayoutRow {
    const char* name;
    const char* description;
    const unsigned char* data;  // the profile's CTF archive (genunix, unix, kvm)
    const size_t* size;
};
extern const LayoutRow kLayoutRows[];
extern const size_t kLayoutRowCount;

}  // namespace mdbsim::sim::kvm::detail
