#include <fmt/format.h>

#include "mdbsim/sim/memory.hpp"

namespace mdbsim::sim {

const char* to_string(FaultKind kind) {
    switch (kind) {
    case FaultKind::none: return "none";
    case FaultKind::unmapped: return "unmapped";
    case FaultKind::protection: return "protection";
    case FaultKind::injected: return "injected";
    }
    return "unknown";
}

const char* to_string(Backend b) {
    switch (b) {
    case Backend::flat: return "flat";
    case Backend::unicorn: return "unicorn";
    case Backend::image: return "image";
    }
    return "unknown";
}

Backend backend_from_string(std::string_view name) {
    for (Backend b : {Backend::flat, Backend::unicorn, Backend::image})
        if (name == to_string(b))
            return b;
    throw std::invalid_argument(
        fmt::format("unknown memory backend '{}' (expected flat, unicorn or image)", name));
}

}  // namespace mdbsim::sim
