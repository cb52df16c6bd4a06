#include "mdbsim/sim/kvm/shadow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "mdbsim/sim/memory.hpp"
#include "mix.hpp"

namespace mdbsim::sim::kvm {
namespace {

constexpr uint64_t kLargePage = kLargePageFrames * kPageSize;

int level_shift(int level) { return 12 + 9 * (level - 1); }
unsigned index_at(uint64_t addr, int level) { return (addr >> level_shift(level)) & 511; }

ShadowTable make_table(int level, uint64_t guest_base, int parent, int parent_index) {
    ShadowTable t;
    t.level = level;
    t.guest_base = guest_base;
    t.parent = parent;
    t.parent_index = parent_index;
    t.child.fill(-1);
    return t;
}

class Planner {
public:
    Planner(ShadowPlan& plan, uint64_t leaf_bits) : plan_(plan), leaf_bits_(leaf_bits) {
        plan_.tables.push_back(make_table(4, 0, -1, -1));
    }

    void map(uint64_t guest_addr, uint64_t pfn, bool large) {
        const int leaf_level = large ? 2 : 1;
        size_t t = 0;
        for (int level = 4; level > leaf_level; --level) {
            const unsigned idx = index_at(guest_addr, level);
            int32_t c = plan_.tables[t].child[idx];
            if (c < 0) {
                const uint64_t base =
                    canonical(plan_.tables[t].guest_base + (uint64_t{idx} << level_shift(level)));
                c = static_cast<int32_t>(plan_.tables.size());
                plan_.tables.push_back(make_table(level - 1, base, static_cast<int>(t), static_cast<int>(idx)));
                plan_.tables[t].child[idx] = c;
            }
            t = static_cast<size_t>(c);
        }
        uint64_t& pte = plan_.tables[t].pte[index_at(guest_addr, leaf_level)];
        if (pte != 0)
            throw std::invalid_argument(
                fmt::format("guest map: address {:#x} is mapped twice (regions overlap)", guest_addr));
        pte = (pfn << 12) | leaf_bits_ | (large ? kPteLarge : 0);
    }

private:
    ShadowPlan& plan_;
    uint64_t leaf_bits_;
};

void check_region(const GuestRegion& r) {
    const uint64_t align = r.large ? kLargePage : kPageSize;
    if (r.bytes == 0 || r.bytes % align != 0 || r.guest_addr % align != 0)
        throw std::invalid_argument(fmt::format(
            "guest region {:#x}+{:#x}: address and size must be non-zero multiples of {:#x}",
            r.guest_addr, r.bytes, align));
    if (canonical(r.guest_addr) != r.guest_addr)
        throw std::invalid_argument(fmt::format("guest region {:#x}: not a canonical address", r.guest_addr));
    const uint64_t last = r.guest_addr + (r.bytes - 1);
    if (last < r.guest_addr || canonical(last) != last || (last >> 47) != (r.guest_addr >> 47))
        throw std::invalid_argument(fmt::format(
            "guest region {:#x}+{:#x}: crosses the non-canonical hole or wraps", r.guest_addr, r.bytes));
}

uint64_t round_up(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

// Fisher-Yates with the project's mixer: the same permutation everywhere.
std::vector<uint32_t> permutation(uint64_t n, uint64_t seed) {
    std::vector<uint32_t> p(n);
    std::iota(p.begin(), p.end(), 0u);
    for (uint64_t i = n; i > 1; --i)
        std::swap(p[i - 1], p[mix64(seed, i) % i]);
    return p;
}

}  // namespace

uint64_t canonical(uint64_t addr) {
    return (addr & (1ULL << 47)) ? (addr | 0xffff000000000000ULL) : (addr & 0x0000ffffffffffffULL);
}

std::vector<GuestExtent> coalesce(std::vector<GuestExtent> extents) {
    std::sort(extents.begin(), extents.end(),
              [](const GuestExtent& a, const GuestExtent& b) { return a.guest_addr < b.guest_addr; });
    std::vector<GuestExtent> out;
    for (const GuestExtent& e : extents) {
        if (!out.empty()) {
            GuestExtent& last = out.back();
            if (last.large == e.large && last.guest_addr + last.npages * kPageSize == e.guest_addr &&
                last.host_pfn + last.npages == e.host_pfn) {
                last.npages += e.npages;
                continue;
            }
        }
        out.push_back(e);
    }
    return out;
}

uint64_t guest_frames_needed(const GuestMapSpec& spec) {
    uint64_t offset = 0;
    for (const GuestRegion& r : spec.regions) {
        if (r.large)
            offset = round_up(offset, kLargePageFrames);
        offset += r.bytes / kPageSize;
    }
    return offset;
}

ShadowPlan plan_shadow(const GuestMapSpec& spec, uint64_t first_host_pfn) {
    ShadowPlan plan;
    if (spec.regions.empty())
        return plan;
    const bool any_large = std::any_of(spec.regions.begin(), spec.regions.end(),
                                       [](const GuestRegion& r) { return r.large; });
    if (any_large && first_host_pfn % kLargePageFrames != 0)
        throw std::invalid_argument(fmt::format(
            "guest map: large pages need a 2 MiB aligned frame run, got pfn {:#x}", first_host_pfn));

    Planner planner(plan, spec.leaf_accessed ? kPteTableBits : (kPteTableBits & ~kPteAccessed));
    std::vector<GuestExtent> extents;
    uint64_t offset = 0;
    for (size_t ri = 0; ri < spec.regions.size(); ++ri) {
        const GuestRegion& r = spec.regions[ri];
        check_region(r);
        if (r.large)
            offset = round_up(offset, kLargePageFrames);
        const uint64_t npages = r.bytes / kPageSize;
        const uint64_t step = r.large ? kLargePageFrames : 1;
        std::vector<uint32_t> perm;
        if (r.scatter && !r.large)
            perm = permutation(npages, mix64(spec.seed, ri));
        for (uint64_t i = 0; i < npages; i += step) {
            const uint64_t addr = r.guest_addr + i * kPageSize;
            const uint64_t pfn = first_host_pfn + offset + (perm.empty() ? i : perm[i]);
            planner.map(addr, pfn, r.large);
            GuestExtent e{addr, pfn, step, r.large};
            if (!extents.empty()) {
                GuestExtent& last = extents.back();
                if (last.large == e.large && last.guest_addr + last.npages * kPageSize == addr &&
                    last.host_pfn + last.npages == pfn) {
                    last.npages += step;
                    continue;
                }
            }
            extents.push_back(e);
        }
        offset += npages;
    }
    plan.map = coalesce(std::move(extents));
    return plan;
}

void link_plan(ShadowPlan& plan, const std::vector<uint64_t>& table_pfns) {
    if (table_pfns.size() != plan.tables.size())
        throw std::invalid_argument("link_plan: one frame per table is required");
    for (size_t i = 1; i < plan.tables.size(); ++i) {
        const ShadowTable& t = plan.tables[i];
        plan.tables[static_cast<size_t>(t.parent)].pte[static_cast<size_t>(t.parent_index)] =
            (table_pfns[i] << 12) | kPteTableBits;
    }
}

}  // namespace mdbsim::sim::kvm
