#include "original_lookup.hpp"

#include <mdb/mdb_ks.h>
#include <mdbsim/kvm/kvm_state.h>
#include <sys/mdb_modapi.h>
#include <vm/page.h>

#include <cstddef>
#include <cstring>

namespace mdbsim::bench {

namespace {

constexpr uint64_t kPt64BaseAddrMask = 0x000FFFFFFFFFF000ULL;  // PT64_BASE_ADDR_MASK
constexpr int kPageShift = 12;

struct HeaderArg {
    uintptr_t mmu_page = 0;
    uintptr_t page = 0;
};

// The avl walker hands over its own copy, but the lookup re-reads the whole object.
int header_cb(uintptr_t addr, const void*, void* data) {
    auto* arg = static_cast<HeaderArg*>(data);
    struct kvm_mmu_page mp;
    if (mdb_vread(&mp, sizeof mp, addr) == -1) {
        mdb_printf("FAILED TO READ KVM_MMU_PAGE\n");
        return DCMD_ERR;  // == WALK_DONE: the walk ends silently, as in the original
    }
    if (mp.kmp_avlspt == arg->page)
        arg->mmu_page = addr;  // no early stop: the last match wins
    return DCMD_OK;            // == WALK_NEXT
}

struct IndexArg {
    std::unordered_map<uint64_t, uint64_t>* map;
    bool ok = true;
};

int index_cb(uintptr_t addr, const void* data, void* varg) {
    auto* arg = static_cast<IndexArg*>(varg);
    const auto* mp = static_cast<const struct kvm_mmu_page*>(data);
    pfn_t pfn = 0;
    if (mdb_vread(&pfn, sizeof pfn, mp->kmp_avlspt + offsetof(page_t, p_pagenum)) != sizeof pfn) {
        arg->ok = false;
        return WALK_ERR;
    }
    arg->map->emplace(pfn, addr);
    return WALK_NEXT;
}

int seg_cb(uintptr_t, const void* data, void* arg) {
    const auto* seg = static_cast<const struct memseg*>(data);
    static_cast<std::vector<uint64_t>*>(arg)->insert(
        static_cast<std::vector<uint64_t>*>(arg)->end(),
        {reinterpret_cast<uint64_t>(seg->pages), seg->pages_base, seg->pages_end});
    return WALK_NEXT;
}

// The part of kvm_mmu_page a search step needs: links at 0x0, key at 0x70.
constexpr size_t kSearchBytes = offsetof(struct kvm_mmu_page, kmp_avlspt) + sizeof(uintptr_t);

}  // namespace

bool OneReadSearch::begin(uint64_t kvm) {
    std::vector<uint64_t> raw;
    if (mdb_walk("memseg", seg_cb, &raw) == -1)
        return false;
    segs_.clear();
    for (size_t i = 0; i + 2 < raw.size(); i += 3)
        segs_.push_back({raw[i], raw[i + 1], raw[i + 2]});
    avl_tree_t tree;
    if (mdb_vread(&tree, sizeof tree, kvm + offsetof(struct kvm, kvm_avlmp)) != sizeof tree)
        return false;
    root_ = reinterpret_cast<uint64_t>(tree.avl_root);
    return true;
}

uint64_t OneReadSearch::find(uint64_t hpa) const {
    const uint64_t pfn = (hpa & kPt64BaseAddrMask) >> kPageShift;
    uint64_t page = 0;
    for (const Seg& s : segs_) {
        if (pfn >= s.base && pfn < s.end) {
            page = s.pages + sizeof(page_t) * (pfn - s.base);
            break;
        }
    }
    pfn_t actual = 0;
    if (page == 0 || mdb_vread(&actual, sizeof actual, page + offsetof(page_t, p_pagenum)) != sizeof actual ||
        actual != pfn)
        return 0;
    uint64_t node = root_;
    unsigned char buf[kSearchBytes];
    for (int height = 0; node != 0 && height < 64; ++height) {
        if (mdb_vread(buf, sizeof buf, node) != static_cast<ssize_t>(sizeof buf))
            return 0;
        uint64_t key, child[2];
        std::memcpy(&key, buf + offsetof(struct kvm_mmu_page, kmp_avlspt), sizeof key);
        if (key == page)
            return node;
        std::memcpy(child, buf, sizeof child);
        node = child[page > key ? 1 : 0];
    }
    return 0;
}

uint64_t original_page_header(uint64_t kvm, uint64_t hpa) {
    HeaderArg arg;
    const pfn_t pfn = (hpa & kPt64BaseAddrMask) >> kPageShift;
    if ((arg.page = mdb_pfn2page(pfn)) == 0)
        return DCMD_ERR;
    if (mdb_pwalk("avl", header_cb, &arg, kvm + offsetof(struct kvm, kvm_avlmp)) == -1)
        mdb_printf("   could not! error from mdb_pwalk\n");
    return arg.mmu_page;
}

bool FrameIndex::build(uint64_t kvm) {
    map_.clear();
    IndexArg arg{&map_};
    if (mdb_pwalk("avl", index_cb, &arg, kvm + offsetof(struct kvm, kvm_avlmp)) == -1 || !arg.ok) {
        map_.clear();
        return false;
    }
    return true;
}

}  // namespace mdbsim::bench
