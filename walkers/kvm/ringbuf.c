/*
 * A vCPU's ring buffer of trace entries: the walker `kvm_ringbuf_entry` (oldest to newest) and
 * the dcmd of the same name that prints one entry.
 */
#include "kvm_dmod.h"

typedef struct ringbuf_walk {
	uintptr_t rw_addr;	/* target address of the kvm_ringbuf_t */
	uint64_t rw_next;	/* entry counter, not yet masked */
	uint64_t rw_end;
	kvm_ringbuf_t rw_ring;
} ringbuf_walk_t;

int
kvmd_ringbuf_walk_init(mdb_walk_state_t *wsp)
{
	ringbuf_walk_t *rw;
	uint64_t ent;

	if (wsp->walk_addr == 0) {
		mdb_warn("kvm_ringbuf_entry does not support global walks\n");
		return (WALK_ERR);
	}
	rw = mdb_zalloc(sizeof (*rw), UM_SLEEP);
	if (mdb_vread(&rw->rw_ring, sizeof (rw->rw_ring), wsp->walk_addr) !=
	    sizeof (rw->rw_ring)) {
		mdb_warn("couldn't read kvm_ringbuf_t at %p", wsp->walk_addr);
		mdb_free(rw, sizeof (*rw));
		return (WALK_ERR);
	}
	/*
	 * kvmr_ent follows the per-tag arrays, whose length differs between illumos-kvm versions:
	 * read it where the target's type has it. Only the last KVM_RINGBUF_NENTRIES entries
	 * recorded are still in the ring.
	 */
	if (mdb_vread(&rw->rw_ring.kvmr_ent, sizeof (rw->rw_ring.kvmr_ent), wsp->walk_addr +
	    KVMD_OFFSETOF(kvm_ringbuf_t, kvmr_ent)) != sizeof (rw->rw_ring.kvmr_ent)) {
		mdb_warn("couldn't read kvm_ringbuf_t at %p", wsp->walk_addr);
		mdb_free(rw, sizeof (*rw));
		return (WALK_ERR);
	}
	ent = rw->rw_ring.kvmr_ent;
	rw->rw_addr = wsp->walk_addr;
	rw->rw_end = ent;
	rw->rw_next = ent > KVM_RINGBUF_NENTRIES ? ent - KVM_RINGBUF_NENTRIES : 0;
	wsp->walk_data = rw;
	return (WALK_NEXT);
}

int
kvmd_ringbuf_walk_step(mdb_walk_state_t *wsp)
{
	ringbuf_walk_t *rw = wsp->walk_data;
	size_t slot;

	if (rw->rw_next >= rw->rw_end)
		return (WALK_DONE);
	slot = rw->rw_next & (KVM_RINGBUF_NENTRIES - 1);
	rw->rw_next++;
	return (wsp->walk_callback(rw->rw_addr + offsetof(kvm_ringbuf_t, kvmr_buf) +
	    slot * sizeof (kvm_ringbuf_entry_t), &rw->rw_ring.kvmr_buf[slot],
	    wsp->walk_cbdata));
}

void
kvmd_ringbuf_walk_fini(mdb_walk_state_t *wsp)
{
	mdb_free(wsp->walk_data, sizeof (ringbuf_walk_t));
}

/* The dcmd's names for KVM_RINGBUF_TAG_* values 1..11; index 0 is unused. */
static const char *const ringbuf_tag_names[] = {
	NULL, "save", "restore", "vmptrld", "migrate", "clear", "load", "put",
	"reload", "efail-0", "efail-1", "efail-2"
};

static const char *
ringbuf_tag_name(uint32_t tag)
{
	size_t ntags = sizeof (ringbuf_tag_names) / sizeof (ringbuf_tag_names[0]);

	if (tag == 0 || tag >= ntags)
		return ("????");
	return (ringbuf_tag_names[tag]);
}

int
kvmd_ringbuf_entry(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	kvm_ringbuf_entry_t ent;

	if (!(flags & DCMD_ADDRSPEC))
		return (DCMD_USAGE);

	if (DCMD_HDRSPEC(flags)) {
		mdb_printf("%16s %17s %3s %16s %-7s %16s\n", "ADDR", "TIMESTAMP",
		    "CPU", "THREAD", "TAG", "PAYLOAD");
	}
	if (mdb_vread(&ent, sizeof (ent), addr) != sizeof (ent)) {
		mdb_warn("couldn't read entry at %p", addr);
		return (DCMD_ERR);
	}
	mdb_printf("%16p %17lld %3d %16p %-7s %16p\n", addr,
	    (long long)ent.kvmre_tsc, (int)ent.kvmre_cpuid,
	    (uintptr_t)ent.kvmre_thread, ringbuf_tag_name(ent.kvmre_tag),
	    (uintptr_t)ent.kvmre_payload);
	return (DCMD_OK);
}
