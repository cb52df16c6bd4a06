// The reference translator. It deliberately shares nothing with the builder but the bit layout of
// an x86-64 PTE: tables are read from physical memory, as the MMU would.
#include "mdbsim/sim/kvm/translate.hpp"

#include <fmt/format.h>

#include <array>
#include <unordered_set>

namespace mdbsim::sim::kvm {
namespace {

int level_span_shift(int level) { return 12 + 9 * (level - 1); }

bool is_leaf(uint64_t pte, int level) { return level == 1 || (level <= 3 && (pte & kPteLarge)); }

std::array<uint64_t, 512> read_table(const Target& t, uint64_t table_pa, int level) {
    std::array<uint64_t, 512> pte{};
    try {
        t.pget_bytes(table_pa, pte.data(), sizeof pte);
    } catch (const std::runtime_error& e) {
        throw TranslateError(fmt::format("level-{} table at physical {:#x} is unreadable: {}", level, table_pa, e.what()));
    }
    return pte;
}

class Walker {
public:
    Walker(const Target& t, bool collect_mappings) : t_(t), collect_(collect_mappings) {}

    void walk(uint64_t table_pa, int level, uint64_t guest_base) {
        if (!seen_.insert(table_pa >> 12).second)
            throw TranslateError(fmt::format(
                "table at physical {:#x} is reached twice (level {} entry for guest {:#x})", table_pa, level, guest_base));
        tables_.push_back(table_pa >> 12);
        const std::array<uint64_t, 512> pte = read_table(t_, table_pa, level);
        for (unsigned i = 0; i < 512; ++i) {
            const uint64_t e = pte[i];
            if (!(e & kPtePresent))
                continue;
            const uint64_t addr = canonical(guest_base + (uint64_t{i} << level_span_shift(level)));
            if (is_leaf(e, level)) {
                if (collect_)
                    add(addr, (e & kPteAddrMask) >> 12, uint64_t{1} << (9 * (level - 1)), level > 1);
            } else {
                walk(e & kPteAddrMask, level - 1, addr);
            }
        }
    }

    std::vector<GuestExtent> mappings() { return coalesce(std::move(extents_)); }
    const std::vector<uint64_t>& tables() const { return tables_; }

private:
    void add(uint64_t addr, uint64_t pfn, uint64_t npages, bool large) {
        if (!extents_.empty()) {
            GuestExtent& last = extents_.back();
            if (last.large == large && last.guest_addr + last.npages * 4096 == addr && last.host_pfn + last.npages == pfn) {
                last.npages += npages;
                return;
            }
        }
        extents_.push_back({addr, pfn, npages, large});
    }

    const Target& t_;
    bool collect_;
    std::unordered_set<uint64_t> seen_;
    std::vector<uint64_t> tables_;
    std::vector<GuestExtent> extents_;
};

}  // namespace

std::optional<Translation> translate(const Target& t, uint64_t root_hpa, uint64_t guest_addr) {
    if (root_hpa == kInvalidPage)
        return std::nullopt;
    uint64_t table = root_hpa & kPteAddrMask;
    for (int level = 4; level >= 1; --level) {
        uint64_t e = 0;
        try {
            e = t.ppeek<uint64_t>(table + ((guest_addr >> level_span_shift(level)) & 511) * 8);
        } catch (const std::runtime_error& err) {
            throw TranslateError(fmt::format("level-{} table at physical {:#x} is unreadable: {}", level, table, err.what()));
        }
        if (!(e & kPtePresent))
            return std::nullopt;
        if (is_leaf(e, level)) {
            const uint64_t frames_in_page = uint64_t{1} << (9 * (level - 1));
            const uint64_t within = (guest_addr >> 12) & (frames_in_page - 1);
            return Translation{((e & kPteAddrMask) >> 12) + within, e, level};
        }
        table = e & kPteAddrMask;
    }
    return std::nullopt;  // not reached: level 1 is always a leaf
}

std::vector<GuestExtent> enumerate_mappings(const Target& t, uint64_t root_hpa) {
    if (root_hpa == kInvalidPage)
        return {};
    Walker w(t, true);
    w.walk(root_hpa & kPteAddrMask, 4, 0);
    return w.mappings();
}

std::vector<uint64_t> reachable_tables(const Target& t, uint64_t root_hpa) {
    if (root_hpa == kInvalidPage)
        return {};
    Walker w(t, false);
    w.walk(root_hpa & kPteAddrMask, 4, 0);
    return w.tables();
}

}  // namespace mdbsim::sim::kvm
