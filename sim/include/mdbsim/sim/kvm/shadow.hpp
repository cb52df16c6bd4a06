// Four-level x86-64 shadow page tables planned from a guest memory map. The plan lives in host
// memory (tables as arrays of 512 PTEs) so that even a 4 GiB guest (one million leaf entries) is
// laid out in a few table-sized writes per page.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace mdbsim::sim::kvm {

inline constexpr uint64_t kPtePresent = 0x1;
inline constexpr uint64_t kPteWritable = 0x2;
inline constexpr uint64_t kPteUser = 0x4;
inline constexpr uint64_t kPteAccessed = 0x20;
inline constexpr uint64_t kPteLarge = 0x80;
inline constexpr uint64_t kPteTableBits = 0x27;  // what the kernel ORs into a non-leaf entry
inline constexpr uint64_t kPteAddrMask = 0x000FFFFFFFFFF000ULL;
inline constexpr uint64_t kInvalidPage = ~uint64_t{0};
inline constexpr uint64_t kLargePageFrames = 512;  // a 2 MiB page in 4 KiB frames

// A run of guest virtual memory. Addresses are canonical x86-64 (bits 63..48 copy bit 47).
struct GuestRegion {
    uint64_t guest_addr = 0;  // 4 KiB aligned (2 MiB aligned with large pages)
    uint64_t bytes = 0;       // multiple of 4 KiB (of 2 MiB with large pages)
    bool large = false;       // map with 2 MiB pages (PS bit in level-2 entries)
    bool scatter = false;     // permute the region's host frames instead of mapping them in order
};

struct GuestMapSpec {
    std::vector<GuestRegion> regions;
    bool leaf_accessed = true;  // leaf entries carry 0x27; false clears the accessed bit (0x07)
    uint64_t seed = 0;          // for scatter
};

// One contiguous piece of the resulting map: guest pages [guest_addr, +npages*4K) are host frames
// [host_pfn, host_pfn + npages). Large pages produce extents of 512 frames with large = true.
struct GuestExtent {
    uint64_t guest_addr = 0;
    uint64_t host_pfn = 0;
    uint64_t npages = 0;  // in 4 KiB frames
    bool large = false;
    bool operator==(const GuestExtent&) const = default;
};

// Merges adjacent extents (contiguous in guest and host, same page size) and sorts by guest_addr.
std::vector<GuestExtent> coalesce(std::vector<GuestExtent> extents);

uint64_t canonical(uint64_t addr);  // sign-extends bit 47
uint64_t guest_frames_needed(const GuestMapSpec& spec);

struct ShadowTable {
    int level = 0;                  // 4 = root, 1 = page table
    uint64_t guest_base = 0;        // canonical guest address of entry 0
    int parent = -1;                // index of the parent table in the plan, -1 for the root
    int parent_index = -1;          // which entry of the parent points here
    std::array<uint64_t, 512> pte{};
    std::array<int32_t, 512> child{};  // table index for non-leaf entries, -1 otherwise
};

struct ShadowPlan {
    std::vector<ShadowTable> tables;  // tables[0] is the root (when the map is non-empty)
    std::vector<GuestExtent> map;     // coalesced, by guest address
};

// Plans tables for spec with guest frames taken from [first_host_pfn, ...). Large regions need
// first_host_pfn + their offset 512-aligned: the caller aligns the frame run. Upper entries are
// left zero; finish_plan() fills them once every table has a frame.
ShadowPlan plan_shadow(const GuestMapSpec& spec, uint64_t first_host_pfn);
// Points every parent entry at its child's frame: (pfn << 12) | 0x27.
void link_plan(ShadowPlan& plan, const std::vector<uint64_t>& table_pfns);

}  // namespace mdbsim::sim::kvm
