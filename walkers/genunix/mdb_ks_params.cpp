// The mdb_ks variables behind <mdb/mdb_param.h>: the examined kernel's machine-dependent
// constants, as dmods that include that header read them. The simulated kernel is an i86pc amd64
// kernel built with the default parameters, so these are that kernel's values; illumos' mdb_ks
// reads the same values out of the kernel's own variables when it loads.
#include <mdb/mdb_param.h>

extern "C" {

unsigned long _mdb_ks_pagesize = 0x1000;
unsigned int _mdb_ks_pageshift = 12;
unsigned long _mdb_ks_pageoffset = 0xfff;
unsigned long long _mdb_ks_pagemask = ~0xfffULL;
unsigned long _mdb_ks_mmu_pagesize = 0x1000;
unsigned int _mdb_ks_mmu_pageshift = 12;
unsigned long _mdb_ks_mmu_pageoffset = 0xfff;
unsigned long _mdb_ks_mmu_pagemask = ~0xfffUL;
uintptr_t _mdb_ks_kernelbase = 0xfffffd8000000000UL;
uintptr_t _mdb_ks_userlimit = 0xfffffd7fffe00000UL;  // one 2 MiB page below kernelbase
uintptr_t _mdb_ks_userlimit32 = 0xfefff000UL;
// The simulated kernel has no exec argument area and no message buffer: a dmod that uses these
// gets 0 rather than a made-up address.
uintptr_t _mdb_ks_argsbase = 0;
unsigned long _mdb_ks_msg_bsize = 0;
unsigned long _mdb_ks_defaultstksz = 5 * 0x1000;
int _mdb_ks_ncpu = 256;
int _mdb_ks_ncpu_log2 = 8;
int _mdb_ks_ncpu_p2 = 256;

}
