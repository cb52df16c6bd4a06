/*
 * dcmd `kvm`: one line per VM with the counts that say what the VM is made of. Without an
 * address it lists every kvm on vm_list.
 */
#include "kvm_dmod.h"

#define	SUMMARY_UNKNOWN	(-1L)

static int
summary_count_slot(uintptr_t addr, const void *data, void *arg)
{
	const struct kvm_memory_slot *slot = data;

	if (slot->npages != 0)
		(*(long *)arg)++;
	return (WALK_NEXT);
}

static int
summary_count(uintptr_t addr, const void *data, void *arg)
{
	(*(long *)arg)++;
	return (WALK_NEXT);
}

/* A count, or "?" when it could not be determined (the reason was warned). */
static const char *
summary_field(char *buf, size_t len, long value)
{
	if (value == SUMMARY_UNKNOWN)
		return ("?");
	(void) mdb_snprintf(buf, len, "%ld", value);
	return (buf);
}

/* Prints the line of one kvm; DCMD_ERR when a column is unknown. */
static int
summary_line(uintptr_t kvm)
{
	char vbuf[24], mbuf[24], abuf[24], sbuf[24];
	long vcpus = SUMMARY_UNKNOWN, slots = 0, aliases = 0, pages = SUMMARY_UNKNOWN;
	int online;
	avl_tree_t tree;

	/* An unreadable kvm has nothing more to say; one warning is enough. */
	if (KVMD_READ_KVM_FIELD(kvm, online_vcpus, &online) == -1) {
		mdb_printf("%16p %5s %8s %7s %11s\n", kvm, "?", "?", "?", "?");
		return (DCMD_ERR);
	}
	vcpus = online;
	if (mdb_pwalk("kvm_memory_slot", summary_count_slot, &slots, kvm) == -1)
		slots = SUMMARY_UNKNOWN;
	if (mdb_pwalk("kvm_mem_alias", summary_count, &aliases, kvm) == -1)
		aliases = SUMMARY_UNKNOWN;
	if (KVMD_READ_KVM_FIELD(kvm, kvm_avlmp, &tree) == 0)
		pages = (long)tree.avl_numnodes;

	mdb_printf("%16p %5s %8s %7s %11s\n", kvm,
	    summary_field(vbuf, sizeof (vbuf), vcpus),
	    summary_field(mbuf, sizeof (mbuf), slots),
	    summary_field(abuf, sizeof (abuf), aliases),
	    summary_field(sbuf, sizeof (sbuf), pages));
	return (vcpus == SUMMARY_UNKNOWN || slots == SUMMARY_UNKNOWN ||
	    aliases == SUMMARY_UNKNOWN || pages == SUMMARY_UNKNOWN ? DCMD_ERR : DCMD_OK);
}

static int
summary_walk_cb(uintptr_t kvm, const void *data, void *arg)
{
	if (summary_line(kvm) != DCMD_OK)
		*(int *)arg = DCMD_ERR;
	return (WALK_NEXT);
}

int
kvmd_summary(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	int status = DCMD_OK;

	if (argc != 0)
		return (DCMD_USAGE);
	if (DCMD_HDRSPEC(flags)) {
		mdb_printf("%16s %5s %8s %7s %11s\n", "ADDR", "VCPUS", "MEMSLOTS",
		    "ALIASES", "SHADOWPAGES");
	}
	if (flags & DCMD_ADDRSPEC)
		return (summary_line(addr));
	if (mdb_walk("kvm", summary_walk_cb, &status) == -1) {
		mdb_warn("failed to walk 'kvm'");
		return (DCMD_ERR);
	}
	return (status);
}

void
kvmd_summary_help(void)
{
	mdb_printf(
	    "Prints one line for the kvm at the given address, or for every kvm on\n"
	    "vm_list when no address is given. Columns:\n"
	    "\n"
	    "  ADDR         address of the struct kvm\n"
	    "  VCPUS        online vCPUs (online_vcpus)\n"
	    "  MEMSLOTS     user memory slots in use (npages > 0) of the %d\n"
	    "  ALIASES      memory aliases in use (naliases, at most %d)\n"
	    "  SHADOWPAGES  shadow pages (kvm_mmu_page) in kvm_avlmp (avl_numnodes)\n"
	    "\n"
	    "A column that cannot be read prints as ? and makes the dcmd fail.\n",
	    KVM_MEMORY_SLOTS, KVM_ALIAS_SLOTS);
}
