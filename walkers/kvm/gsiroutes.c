/*
 * dcmd `kvm_gsiroutes`: the GSI routed to each pin of the three interrupt controllers of a kvm.
 */
#include "kvm_dmod.h"

int
kvmd_gsiroutes(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	struct kvm_irq_routing_table *table;
	int chip[KVM_NR_IRQCHIPS][KVM_IOAPIC_NUM_PINS];
	int c, pin;

	if (argc > 1)
		return (DCMD_USAGE);
	if (KVMD_READ_KVM_FIELD(addr, irq_routing, &table) == -1)
		return (DCMD_ERR);
	/* Only the chip table is printed; the 32 KB of per-GSI lists after it are not read. */
	if (mdb_vread(chip, sizeof (chip), (uintptr_t)table +
	    offsetof(struct kvm_irq_routing_table, chip)) != sizeof (chip)) {
		mdb_warn("couldn't read kvm irq routing table at %p", (uintptr_t)table);
		return (DCMD_ERR);
	}
	if (DCMD_HDRSPEC(flags))
		mdb_printf("%s %7s %5s\n", "CHIP", "PORT", "GSI");
	for (c = 0; c < KVM_NR_IRQCHIPS; c++) {
		for (pin = 0; pin < KVM_IOAPIC_NUM_PINS; pin++)
			mdb_printf("%3d %7d    0x%x\n", c, pin, chip[c][pin]);
	}
	return (DCMD_OK);
}
