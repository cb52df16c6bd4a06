#include "mdbsim/sim/decorators.hpp"

namespace mdbsim::sim {

ForwardingMemory::ForwardingMemory(std::unique_ptr<Memory> inner) : inner_(std::move(inner)) {
    if (!inner_)
        throw std::invalid_argument("memory decorator: nothing to wrap");
}

Fault CountingMemory::read(uint64_t addr, void* dst, size_t len) {
    ++counts_.reads;
    counts_.bytes += len;
    Fault f = inner_->read(addr, dst, len);
    if (f)
        ++counts_.faults;
    return f;
}

Fault CountingMemory::write(uint64_t addr, const void* src, size_t len) {
    ++counts_.writes;
    Fault f = inner_->write(addr, src, len);
    if (f)
        ++counts_.faults;
    return f;
}

const uint8_t* CountingMemory::direct(uint64_t addr, size_t len) {
    const uint8_t* p = inner_->direct(addr, len);
    if (p) {
        ++counts_.reads;
        counts_.bytes += len;
    }
    return p;
}

}  // namespace mdbsim::sim
