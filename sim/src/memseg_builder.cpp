#include <vm/page.h>

#include <fmt/format.h>

#include <cstddef>
#include <cstring>
#include <stdexcept>

#include "mdbsim/sim/builders.hpp"

namespace mdbsim::sim {
namespace {

static_assert(sizeof(page_t) == 120 && offsetof(page_t, p_pagenum) == 0x58, "layouts.md 10.1");
static_assert(sizeof(struct memseg) == 56 && offsetof(struct memseg, next) == 0x20, "layouts.md 10.2");

constexpr uint64_t kPageT = sizeof(page_t);
// page_t arrays are written through a host buffer of this many entries at a time.
constexpr uint64_t kBatch = 4096;

}  // namespace

MemsegBuilder::MemsegBuilder(KernelHeap& h) : h_(h) {}

uint64_t MemsegBuilder::add(uint64_t base_pfn, uint64_t end_pfn) {
    if (end_pfn <= base_pfn)
        throw std::invalid_argument(
            fmt::format("memseg [{:#x}, {:#x}): the range of frames is empty", base_pfn, end_pfn));
    for (const Seg& s : segs_)
        if (base_pfn < s.end && s.base < end_pfn)
            throw std::invalid_argument(fmt::format("memseg [{:#x}, {:#x}) overlaps memseg [{:#x}, {:#x})",
                                                    base_pfn, end_pfn, s.base, s.end));
    const uint64_t npages = end_pfn - base_pfn;
    if (npages > UINT64_MAX / kPageT)
        throw std::invalid_argument(fmt::format("memseg [{:#x}, {:#x}) is too large", base_pfn, end_pfn));

    Target& t = h_.target();
    const uint64_t seg = h_.alloc(sizeof(struct memseg), alignof(struct memseg));
    const uint64_t pages = h_.alloc(npages * kPageT, alignof(page_t));

    std::vector<page_t> batch(std::min(npages, kBatch));
    for (uint64_t done = 0; done < npages;) {
        const uint64_t n = std::min(npages - done, kBatch);
        std::memset(static_cast<void*>(batch.data()), 0, n * kPageT);
        for (uint64_t i = 0; i < n; ++i)
            batch[i].p_pagenum = base_pfn + done + i;
        t.put_bytes(pages + done * kPageT, batch.data(), n * kPageT);
        done += n;
    }

    struct memseg m;
    std::memset(static_cast<void*>(&m), 0, sizeof m);
    t.put_bytes(seg, &m, sizeof m);
    t.put<uint64_t>(seg + offsetof(struct memseg, pages), pages);
    t.put<uint64_t>(seg + offsetof(struct memseg, epages), pages + npages * kPageT);
    t.put<uint64_t>(seg + offsetof(struct memseg, pages_base), base_pfn);
    t.put<uint64_t>(seg + offsetof(struct memseg, pages_end), end_pfn);
    segs_.push_back(Seg{seg, pages, base_pfn, end_pfn});
    return seg;
}

void MemsegBuilder::finish() {
    Target& t = h_.target();
    for (size_t i = 0; i < segs_.size(); ++i)
        t.put<uint64_t>(segs_[i].addr + offsetof(struct memseg, next),
                        i + 1 < segs_.size() ? segs_[i + 1].addr : 0);
    if (memsegs_var_ == 0) {
        memsegs_var_ = h_.alloc(sizeof(uint64_t), alignof(uint64_t));
        t.symbols().add("unix", "memsegs", memsegs_var_, sizeof(uint64_t), STT_OBJECT);
        t.symbols().set_type("unix", "memsegs", "struct memseg *");
    }
    t.put<uint64_t>(memsegs_var_, segs_.empty() ? 0 : segs_.front().addr);
}

uint64_t MemsegBuilder::page_of(uint64_t pfn) const {
    for (const Seg& s : segs_)
        if (pfn >= s.base && pfn < s.end)
            return s.pages + (pfn - s.base) * kPageT;
    return 0;
}

}  // namespace mdbsim::sim
