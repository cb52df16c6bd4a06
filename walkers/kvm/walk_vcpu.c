/*
 * Walker `kvm_vcpu`: the online vCPUs of one kvm, vcpus[0] .. vcpus[online_vcpus - 1]; each
 * callback gets a copy of the struct kvm_vcpu.
 */
#include "kvm_dmod.h"

typedef struct vcpu_walk {
	uintptr_t vw_kvm;
	int vw_next;
	int vw_count;
	struct kvm_vcpu *vw_vcpus[KVM_MAX_VCPUS];
	struct kvm_vcpu *vw_copy;	/* mdb_alloc'd: 29 KB is too big for a walk state */
	size_t vw_size;			/* of the target's struct kvm_vcpu (its profile's) */
	size_t vw_alloc;		/* of vw_copy: room for ours too */
} vcpu_walk_t;

int
kvmd_vcpu_walk_init(mdb_walk_state_t *wsp)
{
	vcpu_walk_t *vw;
	int online;

	if (wsp->walk_addr == 0) {
		mdb_warn("kvm_vcpu does not support global walks\n");
		return (WALK_ERR);
	}
	vw = mdb_zalloc(sizeof (*vw), UM_SLEEP);
	if (KVMD_READ_KVM_FIELD(wsp->walk_addr, online_vcpus, &online) == -1 ||
	    KVMD_READ_KVM_FIELD(wsp->walk_addr, vcpus, &vw->vw_vcpus) == -1) {
		mdb_free(vw, sizeof (*vw));
		return (WALK_ERR);
	}
	if (online < 0 || online > KVM_MAX_VCPUS) {
		mdb_warn("kvm_vcpu: kvm %p claims %d online vCPUs, but only 0 to %d "
		    "(KVM_MAX_VCPUS) exist; using %d\n", wsp->walk_addr, online,
		    KVM_MAX_VCPUS, online < 0 ? 0 : KVM_MAX_VCPUS);
		online = online < 0 ? 0 : KVM_MAX_VCPUS;
	}
	vw->vw_kvm = wsp->walk_addr;
	vw->vw_count = online;
	vw->vw_size = KVMD_SIZEOF(struct kvm_vcpu);
	vw->vw_alloc = MAX(vw->vw_size, sizeof (struct kvm_vcpu));
	vw->vw_copy = mdb_zalloc(vw->vw_alloc, UM_SLEEP);
	wsp->walk_data = vw;
	return (WALK_NEXT);
}

int
kvmd_vcpu_walk_step(mdb_walk_state_t *wsp)
{
	vcpu_walk_t *vw = wsp->walk_data;
	uintptr_t vcpu;
	int i = vw->vw_next;

	if (i >= vw->vw_count)
		return (WALK_DONE);
	vw->vw_next++;
	vcpu = (uintptr_t)vw->vw_vcpus[i];
	if (vcpu == 0) {
		mdb_warn("kvm_vcpu: vcpus[%d] of kvm %p is NULL although %d vCPUs "
		    "are online\n", i, vw->vw_kvm, vw->vw_count);
		return (WALK_ERR);
	}
	if (mdb_vread(vw->vw_copy, vw->vw_size, vcpu) != (ssize_t)vw->vw_size) {
		mdb_warn("couldn't read kvm_vcpu at %p", vcpu);
		return (WALK_ERR);
	}
	return (wsp->walk_callback(vcpu, vw->vw_copy, wsp->walk_cbdata));
}

void
kvmd_vcpu_walk_fini(mdb_walk_state_t *wsp)
{
	vcpu_walk_t *vw = wsp->walk_data;

	mdb_free(vw->vw_copy, vw->vw_alloc);
	mdb_free(vw, sizeof (*vw));
}
