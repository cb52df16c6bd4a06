/*
 * ctf_kvm: the kvm walkers written the modern way. The dmod includes no kvm header: it declares
 * its own small structures holding only the members it needs, and mdb_ctf_vread fills them by
 * member name from the target's types (struct kvm, list_t, ...), so a layout change in the
 * target that keeps those names does not break it. Built with -gctf (mdbsim_add_dmod does that)
 * so the host can read this module's own types from its .so.
 *
 *   ::walk kvm_ctf              every struct kvm on vm_list (as `::walk kvm`)
 *   addr::walk kvm_vcpu_ctf     the online vCPUs of one kvm (as `addr::walk kvm_vcpu`)
 */
#include <sys/mdb_modapi.h>
#include <mdb/mdb_ctf.h>

/* The list_t members the walk needs; the target's list_t has more. */
typedef struct mdb_ctf_kvm_list_node {
	uintptr_t list_next;	/* a pointer in the target, read as a number */
} mdb_ctf_kvm_list_node_t;

typedef struct mdb_ctf_kvm_list {
	unsigned long list_offset;
	mdb_ctf_kvm_list_node_t list_head;
} mdb_ctf_kvm_list_t;

/* Of a struct kvm, only the vCPUs. */
typedef struct mdb_ctf_kvm {
	int online_vcpus;
	uintptr_t vcpus[64];
} mdb_ctf_kvm_t;

typedef struct kvm_walk {
	uintptr_t kw_head;	/* address of vm_list's sentinel node */
	uintptr_t kw_next;	/* next node */
	unsigned long kw_offset;	/* of the node in a struct kvm */
	unsigned kw_count;
} kvm_walk_t;

static int
kvm_ctf_walk_init(mdb_walk_state_t *wsp)
{
	GElf_Sym sym;
	mdb_ctf_kvm_list_t list;
	kvm_walk_t *kw;
	int head_off;

	if (wsp->walk_addr != 0) {
		mdb_warn("kvm_ctf does not support non-global walks\n");
		return (WALK_ERR);
	}
	if (mdb_lookup_by_name("vm_list", &sym) == -1) {
		mdb_warn("unable to locate vm_list\n");
		return (WALK_ERR);
	}
	if (mdb_ctf_vread(&list, "list_t", "mdb_ctf_kvm_list_t",
	    (uintptr_t)sym.st_value, 0) == -1)
		return (WALK_ERR);
	if ((head_off = mdb_ctf_offsetof_by_name("list_t", "list_head")) == -1)
		return (WALK_ERR);
	kw = mdb_zalloc(sizeof (*kw), UM_SLEEP);
	kw->kw_head = (uintptr_t)sym.st_value + head_off;
	kw->kw_next = list.list_head.list_next;
	kw->kw_offset = list.list_offset;
	wsp->walk_data = kw;
	return (WALK_NEXT);
}

static int
kvm_ctf_walk_step(mdb_walk_state_t *wsp)
{
	kvm_walk_t *kw = wsp->walk_data;
	mdb_ctf_kvm_list_node_t node;
	uintptr_t kvm;

	if (kw->kw_next == kw->kw_head || kw->kw_next == 0)
		return (WALK_DONE);
	/* A list longer than any real one is a cycle the sentinel never closes. */
	if (++kw->kw_count > 1000000) {
		mdb_warn("kvm_ctf: vm_list does not end\n");
		return (WALK_ERR);
	}
	if (mdb_ctf_vread(&node, "list_node_t", "mdb_ctf_kvm_list_node_t",
	    kw->kw_next, 0) == -1)
		return (WALK_ERR);
	kvm = kw->kw_next - kw->kw_offset;
	kw->kw_next = node.list_next;
	return (wsp->walk_callback(kvm, NULL, wsp->walk_cbdata));
}

static void
kvm_ctf_walk_fini(mdb_walk_state_t *wsp)
{
	mdb_free(wsp->walk_data, sizeof (kvm_walk_t));
}

typedef struct vcpu_walk {
	mdb_ctf_kvm_t vw_kvm;
	uintptr_t vw_addr;
	int vw_next;
} vcpu_walk_t;

static int
vcpu_ctf_walk_init(mdb_walk_state_t *wsp)
{
	vcpu_walk_t *vw;

	if (wsp->walk_addr == 0) {
		mdb_warn("kvm_vcpu_ctf does not support global walks\n");
		return (WALK_ERR);
	}
	vw = mdb_zalloc(sizeof (*vw), UM_SLEEP);
	if (mdb_ctf_vread(&vw->vw_kvm, "struct kvm", "mdb_ctf_kvm_t",
	    wsp->walk_addr, 0) == -1) {
		mdb_free(vw, sizeof (*vw));
		return (WALK_ERR);
	}
	if (vw->vw_kvm.online_vcpus < 0 || vw->vw_kvm.online_vcpus > 64)
		vw->vw_kvm.online_vcpus = vw->vw_kvm.online_vcpus < 0 ? 0 : 64;
	vw->vw_addr = wsp->walk_addr;
	wsp->walk_data = vw;
	return (WALK_NEXT);
}

static int
vcpu_ctf_walk_step(mdb_walk_state_t *wsp)
{
	vcpu_walk_t *vw = wsp->walk_data;
	uintptr_t vcpu;

	if (vw->vw_next >= vw->vw_kvm.online_vcpus)
		return (WALK_DONE);
	vcpu = vw->vw_kvm.vcpus[vw->vw_next++];
	if (vcpu == 0) {
		mdb_warn("kvm_vcpu_ctf: vcpus[%d] of kvm %p is NULL\n",
		    vw->vw_next - 1, vw->vw_addr);
		return (WALK_ERR);
	}
	return (wsp->walk_callback(vcpu, NULL, wsp->walk_cbdata));
}

static void
vcpu_ctf_walk_fini(mdb_walk_state_t *wsp)
{
	mdb_free(wsp->walk_data, sizeof (vcpu_walk_t));
}

static const mdb_walker_t walkers[] = {
	{ "kvm_ctf", "walk all the kvm structures (through mdb_ctf_vread)",
	    kvm_ctf_walk_init, kvm_ctf_walk_step, kvm_ctf_walk_fini },
	{ "kvm_vcpu_ctf", "walk the online kvm_vcpu structures of a given kvm "
	    "(through mdb_ctf_vread)",
	    vcpu_ctf_walk_init, vcpu_ctf_walk_step, vcpu_ctf_walk_fini },
	{ NULL }
};

static const mdb_modinfo_t modinfo = { MDB_API_VERSION, NULL, walkers };

const mdb_modinfo_t *
_mdb_init(void)
{
	return (&modinfo);
}
