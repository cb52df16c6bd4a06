/*
 * The kvm SDK headers compiled as C99 (their static assertions fire here too), and the layout as
 * a C compiler sees it, reported to the C++ test so both languages are held to the same numbers.
 */
#include <mdbsim/kvm/kvm_state.h>
#include <vm/page.h>

size_t mdbsim_kvmsim_c_layout(int which);

size_t
mdbsim_kvmsim_c_layout(int which)
{
	switch (which) {
	case 0: return sizeof (struct kvm);
	case 1: return sizeof (struct kvm_vcpu);
	case 2: return __alignof__(struct kvm_vcpu);
	case 3: return offsetof(struct kvm, kvm_avlmp);
	case 4: return offsetof(struct kvm_vcpu, arch.mmu.root_hpa);
	case 5: return offsetof(struct kvm_mmu_page, kmp_avlspt);
	case 6: return sizeof (kvm_ringbuf_t);
	case 7: return sizeof (page_t);
	default: return 0;
	}
}
