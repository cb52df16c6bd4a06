// JournalMemory (journal.hpp).
#include "journal.hpp"

#include <algorithm>

namespace mdbsim::fuzz {

std::vector<sim::Region> JournalMemory::pieces(uint64_t base, uint64_t size) const {
    std::vector<sim::Region> out;
    const uint64_t end = base + size;
    // Almost every change lies in one region: find it without copying the whole region list.
    if (const sim::Region* r = inner_->find_region(base); r && end - r->base <= r->size) {
        out.push_back({base, size, r->prot, r->name});
        return out;
    }
    for (const sim::Region& r : inner_->regions()) {
        const uint64_t lo = std::max(r.base, base), hi = std::min(r.end(), end);
        if (lo < hi) out.push_back({lo, hi - lo, r.prot, r.name});
    }
    return out;
}

// Saves the current bytes of [addr, addr + len) region by region (a write may span several).
void JournalMemory::save_bytes(uint64_t addr, size_t len) {
    for (const sim::Region& p : pieces(addr, len)) {
        Entry e{Entry::Kind::bytes, p.base, p.size, 0, {}, std::vector<uint8_t>(p.size)};
        if (inner_->read(p.base, e.data.data(), p.size)) {
            // Not readable (protection): lift it for the copy.
            inner_->protect(p.base & ~(sim::kPageSize - 1),
                            ((p.end() + sim::kPageSize - 1) & ~(sim::kPageSize - 1)) - (p.base & ~(sim::kPageSize - 1)),
                            p.prot | sim::kProtRead);
            (void)inner_->read(p.base, e.data.data(), p.size);
            inner_->protect(p.base & ~(sim::kPageSize - 1),
                            ((p.end() + sim::kPageSize - 1) & ~(sim::kPageSize - 1)) - (p.base & ~(sim::kPageSize - 1)),
                            p.prot);
        }
        log_.push_back(std::move(e));
    }
}

sim::Fault JournalMemory::write(uint64_t addr, const void* src, size_t len) {
    if (recording_ && len) save_bytes(addr, len);
    return inner_->write(addr, src, len);
}

sim::Fault JournalMemory::poke(uint64_t addr, const void* src, size_t len) {
    if (recording_ && len) save_bytes(addr, len);
    return inner_->poke(addr, src, len);
}

void JournalMemory::map(uint64_t base, uint64_t size, uint32_t prot, std::string name) {
    inner_->map(base, size, prot, name);
    if (recording_) log_.push_back({Entry::Kind::mapped, base, size, prot, std::move(name), {}});
}

void JournalMemory::protect(uint64_t base, uint64_t size, uint32_t prot) {
    if (recording_)
        for (const sim::Region& p : pieces(base, size)) log_.push_back({Entry::Kind::prot, p.base, p.size, p.prot, {}, {}});
    inner_->protect(base, size, prot);
}

void JournalMemory::unmap(uint64_t base, uint64_t size) {
    if (recording_) {
        for (const sim::Region& p : pieces(base, size)) {
            Entry e{Entry::Kind::unmapped, p.base, p.size, p.prot, p.name, std::vector<uint8_t>(p.size)};
            if (inner_->read(p.base, e.data.data(), p.size)) {
                inner_->protect(p.base, p.size, p.prot | sim::kProtRead);
                (void)inner_->read(p.base, e.data.data(), p.size);
            }
            log_.push_back(std::move(e));
        }
    }
    inner_->unmap(base, size);
}

void JournalMemory::rollback() {
    const bool was = recording_;
    recording_ = false;
    for (auto it = log_.rbegin(); it != log_.rend(); ++it) {
        switch (it->kind) {
        case Entry::Kind::bytes:
            (void)inner_->poke(it->addr, it->data.data(), it->data.size());
            break;
        case Entry::Kind::mapped:
            inner_->unmap(it->addr, it->size);
            break;
        case Entry::Kind::unmapped:
            inner_->map(it->addr, it->size, it->prot, it->name);
            (void)inner_->poke(it->addr, it->data.data(), it->data.size());
            break;
        case Entry::Kind::prot:
            inner_->protect(it->addr, it->size, it->prot);
            break;
        }
    }
    log_.clear();
    recording_ = was;
}

}  // namespace mdbsim::fuzz
