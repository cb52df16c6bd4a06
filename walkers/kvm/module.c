/*
 * Module linkage of the kvm dmod: its dcmds and walkers as mdb sees them. Names, usages and
 * descriptions of the original's are kept exactly.
 */
#include "kvm_dmod.h"

static const mdb_dcmd_t kvm_dcmds[] = {
	{ "kvm", "?", "print a summary of each kvm: vCPUs, memory slots, aliases, "
	    "shadow pages", kvmd_summary, kvmd_summary_help },
	{ "kvm_gpa2qva", "?[address of kvm]",
	    "translate a guest physical to a QEMU virtual address", kvmd_gpa2qva },
	{ "kvm_gsiroutes", NULL,
	    "print out the global system interrupt (GSI) routing table", kvmd_gsiroutes },
	{ "kvm_mmuinfo", NULL, "print info about the mmu for a kvm", kvmd_mmuinfo,
	    kvmd_mmuinfo_help },
	{ "kvm_ringbuf_entry", NULL, "print out a kvm ring buffer entry",
	    kvmd_ringbuf_entry },
	{ NULL }
};

static const mdb_walker_t kvm_walkers[] = {
	{ "kvm", "walk all the kvm structures",
	    kvmd_kvm_walk_init, kvmd_kvm_walk_step, NULL },
	{ "kvm_memory_slot", "walk kvm_memory_slot structures for a given kvm",
	    kvmd_memslot_walk_init, kvmd_memslot_walk_step, kvmd_memslot_walk_fini },
	{ "kvm_mem_alias", "walk kvm_mem_alias structures for a given kvm",
	    kvmd_alias_walk_init, kvmd_alias_walk_step, kvmd_alias_walk_fini },
	{ "kvm_ringbuf_entry", "given a kvm_ringbuf_t, walk its entries",
	    kvmd_ringbuf_walk_init, kvmd_ringbuf_walk_step, kvmd_ringbuf_walk_fini },
	{ "kvm_vcpu", "walk the online kvm_vcpu structures of a given kvm",
	    kvmd_vcpu_walk_init, kvmd_vcpu_walk_step, kvmd_vcpu_walk_fini },
	{ "kvm_mmu_page", "walk the kvm_mmu_page structures of a given kvm, "
	    "in kvm_avlmp order", kvmd_mmu_page_walk_init, kvmd_mmu_page_walk_step, NULL },
	{ NULL }
};

static const mdb_modinfo_t kvm_modinfo = { MDB_API_VERSION, kvm_dcmds, kvm_walkers };

const mdb_modinfo_t *
_mdb_init(void)
{
	return (&kvm_modinfo);
}
