// Builders that lay out illumos kernel primitives in a Target, byte-compatible with LP64 illumos:
// a kernel heap, physical frames, list_t, avl_tree_t, memseg chains with page_t arrays.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mdbsim/sim/target.hpp"

namespace mdbsim::sim {

// Kernel virtual addresses, handed out upwards from base, mapped read-write on demand in chunks
// (so objects allocated one after another are usually contiguous). Memory starts zeroed.
class KernelHeap {
public:
    static constexpr uint64_t kDefaultBase = 0xfffffe0000000000ULL;  // illumos amd64 kernel heap
    explicit KernelHeap(Target& t, uint64_t base = kDefaultBase, uint64_t chunk = 1ULL << 20,
                        std::string name = "kmem");

    uint64_t alloc(uint64_t size, uint64_t align = 8);
    uint64_t alloc_pages(uint64_t npages);  // page aligned
    // Leave an unmapped hole of at least one page: the next allocation starts in a fresh mapping.
    void skip_hole(uint64_t bytes = kPageSize);
    uint64_t next() const { return next_; }
    Target& target() { return t_; }

private:
    Target& t_;
    uint64_t next_;
    uint64_t mapped_end_;
    uint64_t chunk_;
    std::string name_;
};

// Physical page frames in the target's physical address space, handed out upwards from first_pfn
// and mapped on demand. Frame contents start zeroed.
class FrameAllocator {
public:
    explicit FrameAllocator(Target& t, uint64_t first_pfn = 0x100, uint64_t chunk_pages = 256);
    uint64_t alloc();                   // returns a pfn
    uint64_t alloc_range(uint64_t n);   // n contiguous frames, returns the first pfn
    uint64_t next_pfn() const { return next_; }
    uint64_t first_pfn() const { return first_; }

private:
    Target& t_;
    uint64_t first_;
    uint64_t next_;
    uint64_t mapped_end_;
    uint64_t chunk_;
};

// illumos list_t (layouts.md §9.1): circular through the sentinel at list + 16.
class ListBuilder {
public:
    // Writes an empty list_t at list_addr (32 bytes, must be mapped).
    static void init(Target& t, uint64_t list_addr, uint64_t obj_size, uint64_t node_offset);
    // Appends the object at obj_addr (its list_node_t at obj_addr + node_offset) at the tail.
    static void append(Target& t, uint64_t list_addr, uint64_t obj_addr);
    // Allocates a list_t in the heap and initialises it.
    static uint64_t create(KernelHeap& h, uint64_t obj_size, uint64_t node_offset);
};

// illumos avl_tree_t (layouts.md §9.2) with real avl_pcb packing (parent | which << 2 | balance+1).
class AvlBuilder {
public:
    // Lays out a height-balanced tree over objs, which must already be in ascending key order,
    // writing each object's avl_node_t (at obj + avl_offset) and the avl_tree_t header at tree_addr.
    static void build(Target& t, uint64_t tree_addr, const std::vector<uint64_t>& objs,
                      uint64_t avl_offset, uint64_t obj_size, uint64_t compar = 0);
    // As build(), with objs sorted here by key(obj) (unsigned, keys must be unique).
    static void build_sorted(Target& t, uint64_t tree_addr, std::vector<uint64_t> objs,
                             const std::function<uint64_t(uint64_t)>& key, uint64_t avl_offset,
                             uint64_t obj_size, uint64_t compar = 0);
};

// memseg chain (layouts.md §10) with a page_t for every frame, and the `memsegs` symbol.
class MemsegBuilder {
public:
    explicit MemsegBuilder(KernelHeap& h);
    // Covers [base_pfn, end_pfn) with one memseg and its page_t array (p_pagenum filled in).
    // Returns the memseg address. Segments are chained in the order added.
    uint64_t add(uint64_t base_pfn, uint64_t end_pfn);
    // Writes the chain links and defines `memsegs` (object "unix", st_size 8) pointing at the head.
    void finish();
    // page_t address of a covered frame, or 0.
    uint64_t page_of(uint64_t pfn) const;
    struct Seg { uint64_t addr, pages, base, end; };
    const std::vector<Seg>& segments() const { return segs_; }

private:
    KernelHeap& h_;
    std::vector<Seg> segs_;
    uint64_t memsegs_var_ = 0;
};

}  // namespace mdbsim::sim
