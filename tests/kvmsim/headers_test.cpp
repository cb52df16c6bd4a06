// The kvm SDK headers: the layout seen from C++ and from C agree with layouts.md, and the role
// bitfields land on the documented bits.
#include <gtest/gtest.h>

#include <mdbsim/kvm/kvm_state.h>
#include <vm/page.h>

#include <cstring>

extern "C" size_t mdbsim_kvmsim_c_layout(int which);

namespace {

struct LayoutCase {
    int which;
    size_t cxx;
    size_t expected;
};

TEST(KvmHeaders, CAndCxxAgreeWithTheSpec) {
    const LayoutCase cases[] = {
        {0, sizeof(struct kvm), 34400},
        {1, sizeof(struct kvm_vcpu), 29280},
        {2, alignof(struct kvm_vcpu), 16},
        {3, offsetof(struct kvm, kvm_avlmp), 0x8638},
        {4, offsetof(struct kvm_vcpu, arch.mmu.root_hpa), 0x4810},
        {5, offsetof(struct kvm_mmu_page, kmp_avlspt), 0x70},
        {6, sizeof(kvm_ringbuf_t), 16824},
        {7, sizeof(page_t), 120},
    };
    for (const LayoutCase& c : cases) {
        EXPECT_EQ(c.cxx, c.expected) << "case " << c.which;
        EXPECT_EQ(mdbsim_kvmsim_c_layout(c.which), c.expected) << "case " << c.which;
    }
}

TEST(KvmHeaders, RoleBitfieldsFollowTheSpec) {
    struct Case {
        const char* field;
        void (*set)(union kvm_mmu_page_role&);
        uint32_t word;
    };
    const Case cases[] = {
        {"glevels=4", [](union kvm_mmu_page_role& r) { r.glevels = 4; }, 0x4},
        {"level=3", [](union kvm_mmu_page_role& r) { r.level = 3; }, 0x30},
        {"quadrant=2", [](union kvm_mmu_page_role& r) { r.quadrant = 2; }, 0x200},
        {"direct", [](union kvm_mmu_page_role& r) { r.direct = 1; }, 1u << 16},
        {"access=7", [](union kvm_mmu_page_role& r) { r.access = 7; }, 7u << 17},
        {"invalid", [](union kvm_mmu_page_role& r) { r.invalid = 1; }, 1u << 20},
        {"cr4_pge", [](union kvm_mmu_page_role& r) { r.cr4_pge = 1; }, 1u << 21},
        {"nxe", [](union kvm_mmu_page_role& r) { r.nxe = 1; }, 1u << 22},
        {"cr0_wp", [](union kvm_mmu_page_role& r) { r.cr0_wp = 1; }, 1u << 23},
    };
    for (const Case& c : cases) {
        union kvm_mmu_page_role r;
        std::memset(&r, 0, sizeof r);
        c.set(r);
        EXPECT_EQ(r.word, c.word) << c.field;
    }
}

TEST(KvmHeaders, ConstantsMatchTheSpec) {
    EXPECT_EQ(INVALID_PAGE, 0xffffffffffffffffULL);
    EXPECT_EQ(MDBSIM_PT64_ADDR_MASK, 0x000ffffffffff000ULL);
    EXPECT_EQ(PT64_LEVEL_SHIFT(4), 39);
    EXPECT_EQ(PT64_INDEX(0xffffffff80000000ULL, 4), 511u);
    EXPECT_EQ(PT64_INDEX(0xffffffff80000000ULL, 3), 510u);
    EXPECT_EQ(PT_PRESENT_MASK | PT_WRITABLE_MASK | PT_USER_MASK | PT_ACCESSED_MASK, MDBSIM_SPTE_TABLE_BITS);
    EXPECT_EQ(PT64_PERM_MASK, PT_PRESENT_MASK | PT_WRITABLE_MASK | PT_USER_MASK | PT64_NX_MASK);
    EXPECT_EQ(KVM_HPAGE_SHIFT(2), 21);
    EXPECT_EQ(KVM_NUM_MMU_PAGES, 1024);
#ifdef PT64_BASE_ADDR_MASK
    ADD_FAILURE() << "PT64_BASE_ADDR_MASK must be left to the dmod";
#endif
}

}  // namespace
