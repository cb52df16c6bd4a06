// mdb_ks support functions exported to dmods (layouts.md §13.4): frame number <-> page_t.
#include <mdb/mdb_ks.h>
#include <sys/mdb_modapi.h>
#include <vm/page.h>

#include "linked_walkers.hpp"

namespace {

using mdbsim::host::read_object;

struct PfnLookup {
    pfn_t pfn;
    uintptr_t page;
};

int find_covering_memseg(uintptr_t, const void* data, void* arg) {
    const auto* seg = static_cast<const struct memseg*>(data);
    auto* lookup = static_cast<PfnLookup*>(arg);
    if (seg->pages_base <= lookup->pfn && lookup->pfn < seg->pages_end) {
        lookup->page = reinterpret_cast<uintptr_t>(seg->pages) + sizeof(page_t) * (lookup->pfn - seg->pages_base);
        return WALK_DONE;
    }
    return WALK_NEXT;
}

}  // namespace

extern "C" {

uintptr_t mdb_pfn2page(pfn_t pfn) {
    PfnLookup lookup{pfn, 0};
    if (mdb_walk("memseg", find_covering_memseg, &lookup) == -1) {
        mdb_warn("pfn2page: can't walk memsegs");
        return 0;
    }
    if (lookup.page == 0) {
        mdb_warn("pfn2page: unable to find page_t for pfn %lx\n", pfn);
        return 0;
    }
    page_t page;
    if (!read_object(page, lookup.page)) {
        mdb_warn("pfn2page: can't read page 0x%lx at %p", pfn, reinterpret_cast<void*>(lookup.page));
        return 0;
    }
    if (page.p_pagenum != pfn) {
        mdb_warn("pfn2page: page_t 0x%p should have PFN 0x%lx, but actually has 0x%lx\n",
                 reinterpret_cast<void*>(lookup.page), pfn, page.p_pagenum);
        return 0;
    }
    return lookup.page;
}

pfn_t mdb_page2pfn(uintptr_t addr) {
    page_t page;
    if (!read_object(page, addr)) return static_cast<pfn_t>(-1);
    return page.p_pagenum;
}

}  // extern "C"
