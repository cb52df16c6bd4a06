#include "floor.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <mdbsim/kvm/kvm_state.h>

#include <sys/mdb_modapi.h>

#include <array>
#include <cstddef>
#include <cstring>
#include <iterator>

namespace mdbsim::bench {

namespace {

constexpr uint64_t kWalkBits = 0x27;  // present, writable, user, accessed: what the dmod prints
constexpr uint64_t kPresent = 0x1;
constexpr uint64_t kLarge = 0x80;
constexpr uint64_t kFloorAddrMask = 0x000FFFFFFFFFF000ULL;
constexpr uint64_t kInvalid = ~uint64_t{0};
constexpr int kMaxLevel = 4;
constexpr size_t kFlushAt = 64 * 1024;

const char* level_name(int level) {
    switch (level) {
    case 1: return "PAGE_TABLE (0x1)";
    case 2: return "PAGE_DIR (0x2)";
    case 3: return "PDPE (0x3)";
    case 4: return "PT64_ROOT (0x4)";
    default: return "?";
    }
}

struct FloorRun {
    FloorRun(const FloorPlan& p, sim::Memory& m, const host::Output::Sink& s) : plan(p), vmem(m), sink(s) {}
    const FloorPlan& plan;
    sim::Memory& vmem;
    const host::Output::Sink& sink;
    fmt::memory_buffer buf;
    std::array<std::array<uint64_t, 512>, kMaxLevel> tables{};
    WalkStats st;

    void maybe_flush() {
        if (buf.size() >= kFlushAt) {
            sink(std::string_view(buf.data(), buf.size()));
            buf.clear();
        }
    }

    void dump(uint64_t sptkma, int level, int indent, int depth) {
        auto& pte = tables[static_cast<size_t>(depth)];
        if (vmem.read(sptkma, pte.data(), sizeof pte)) {
            fmt::format_to(std::back_inserter(buf), "ERROR: could not read SPT PTE\n");
            st.ok = false;
            return;
        }
        ++st.tables;
        const std::string_view ind("                                ", static_cast<size_t>(indent));
        for (int i = 0; i < 512; ++i) {
            const uint64_t e = pte[static_cast<size_t>(i)];
            if ((e & kWalkBits) != kWalkBits)
                continue;
            const uint64_t pfn = (e & kFloorAddrMask) >> 12;
            ++st.entries;
            fmt::format_to(std::back_inserter(buf), FMT_COMPILE("{}[{}]  0x{:x}  (hpa 0x{:x})\n"), ind, i, e, pfn);
            if (level == 1 || ((e & kLarge) && level < kMaxLevel)) {
                ++st.leaves;
                fmt::format_to(std::back_inserter(buf), FMT_COMPILE("{}          ^^-- ERROR: no private data in avltree\n"), ind);
            } else {
                auto it = plan.sptkma_of_pfn.find(pfn);
                if (it == plan.sptkma_of_pfn.end() || depth + 1 >= kMaxLevel) {
                    st.ok = false;
                    continue;
                }
                dump(it->second, level - 1, indent + 4, depth + 1);
            }
            maybe_flush();
        }
        buf.push_back('\n');
    }
};

struct MdbPrintfRun {
    const FloorPlan& plan;
    sim::Memory& vmem;
    std::array<std::array<uint64_t, 512>, kMaxLevel> tables{};
    WalkStats st;

    MdbPrintfRun(const FloorPlan& p, sim::Memory& m) : plan(p), vmem(m) {}

    void dump(uint64_t sptkma, int level, int indent, int depth) {
        auto& pte = tables[static_cast<size_t>(depth)];
        if (vmem.read(sptkma, pte.data(), sizeof pte)) {
            mdb_printf("ERROR: could not read SPT PTE\n");
            st.ok = false;
            return;
        }
        ++st.tables;
        char ind[40];
        std::memset(ind, ' ', static_cast<size_t>(indent));
        ind[indent] = '\0';
        for (int i = 0; i < 512; ++i) {
            const uint64_t e = pte[static_cast<size_t>(i)];
            if ((e & kWalkBits) != kWalkBits)
                continue;
            const uint64_t pfn = (e & kFloorAddrMask) >> 12;
            ++st.entries;
            mdb_printf("%s[%d]  0x%p  (hpa 0x%p)\n", ind, i, e, pfn);
            if (level == 1 || ((e & kLarge) && level < kMaxLevel)) {
                ++st.leaves;
                mdb_printf("%s          ^^-- ERROR: no private data in avltree\n", ind);
            } else {
                auto it = plan.sptkma_of_pfn.find(pfn);
                if (it == plan.sptkma_of_pfn.end() || depth + 1 >= kMaxLevel) {
                    st.ok = false;
                    continue;
                }
                dump(it->second, level - 1, indent + 4, depth + 1);
            }
        }
        mdb_printf("\n");
    }
};

WalkStats walk_phys(sim::Memory& pmem, uint64_t table_pa, int level,
                    std::array<std::array<uint64_t, 512>, kMaxLevel>& tables, WalkStats& st) {
    auto& pte = tables[static_cast<size_t>(kMaxLevel - level)];
    if (pmem.read(table_pa, pte.data(), sizeof pte)) {
        st.ok = false;
        return st;
    }
    ++st.tables;
    for (uint64_t e : pte) {
        if (!(e & kPresent))
            continue;
        ++st.entries;
        if (level == 1 || (e & kLarge)) {
            ++st.leaves;
            continue;
        }
        walk_phys(pmem, e & kFloorAddrMask, level - 1, tables, st);
    }
    return st;
}

}  // namespace

FloorPlan make_floor_plan(const sim::Target& t, const sim::kvm::BuiltVm& vm, unsigned vcpu) {
    FloorPlan plan;
    const auto& cpu = vm.vcpus.at(vcpu);
    const auto mmu = t.peek<struct kvm_mmu>(cpu.mmu);
    fmt::memory_buffer h;
    auto out = std::back_inserter(h);
    fmt::format_to(out, "\nMMU Info -- mmu: 0x{:x}\n", cpu.mmu);
    fmt::format_to(out, "root_hpa: 0x{:x} ({})\n", mmu.root_hpa, mmu.root_hpa == kInvalid ? "INVALID" : "valid");
    fmt::format_to(out, "root_level: {}\n", level_name(mmu.root_level));
    const auto pae = reinterpret_cast<uintptr_t>(mmu.pae_root);
    fmt::format_to(out, "pae_root... 0x{:x}\n", pae);
    for (int i = 0; i < 4; ++i) {
        const auto root = t.peek<uint64_t>(pae + 8 * static_cast<uint64_t>(i));
        fmt::format_to(out, "  pae_root[{}]: 0x{:x} ({})\n", i, root & kFloorAddrMask, root == kInvalid ? "INVALID" : "valid");
    }
    fmt::format_to(out, "\n\nPage Private for MMU Root:\n");
    const auto& root = vm.shadow_pages.at(0);
    fmt::format_to(out, "  page_private  0x{:x}  sptkma 0x{:x}\n", root.mmu_page, root.sptkma);
    plan.header.assign(h.data(), h.size());
    plan.root_sptkma = root.sptkma;
    plan.root_level = mmu.shadow_root_level;
    for (const auto& sp : vm.shadow_pages)
        plan.sptkma_of_pfn.emplace(sp.pfn, sp.sptkma);
    return plan;
}

WalkStats run_floor(const FloorPlan& plan, sim::Memory& vmem, const host::Output::Sink& sink) {
    FloorRun r(plan, vmem, sink);
    r.buf.append(plan.header);
    r.dump(plan.root_sptkma, plan.root_level, 4, 0);
    r.buf.push_back('\n');
    sink(std::string_view(r.buf.data(), r.buf.size()));
    return r.st;
}

WalkStats run_floor_mdb_printf(const FloorPlan& plan, sim::Memory& vmem) {
    MdbPrintfRun r(plan, vmem);
    mdb_printf("%s", plan.header.c_str());
    r.dump(plan.root_sptkma, plan.root_level, 4, 0);
    mdb_printf("\n");
    return r.st;
}

WalkStats tight_walk(sim::Memory& pmem, uint64_t root_hpa) {
    std::array<std::array<uint64_t, 512>, kMaxLevel> tables{};
    WalkStats st;
    return walk_phys(pmem, root_hpa & kFloorAddrMask, kMaxLevel, tables, st);
}

}  // namespace mdbsim::bench
