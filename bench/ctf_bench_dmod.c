/*
 * ctf_bench: the cost of one mdb_ctf_vread beside one plain mdb_vread of the same object.
 *   addr::ctfread -n N ctf      N x mdb_ctf_vread of the struct kvm at addr into a 3-member type
 *   addr::ctfread -n N plain    N x mdb_vread of the whole struct kvm (what a dmod compiled
 *                               against the layout headers does)
 */
#include <sys/mdb_modapi.h>
#include <mdb/mdb_ctf.h>

typedef struct mdb_bench_kvm {
	int kvmid;
	uintptr_t memslots;
	int online_vcpus;
} mdb_bench_kvm_t;

static mdb_bench_kvm_t g_small;
static char g_whole[65536];

static int
ctfread(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	uintptr_t n = 1, i;
	ssize_t size;
	const char *mode;

	(void) flags;
	if (mdb_getopts(argc, argv, 'n', MDB_OPT_UINTPTR, &n, NULL) != argc - 1 ||
	    argv[argc - 1].a_type != MDB_TYPE_STRING)
		return (DCMD_USAGE);
	mode = argv[argc - 1].a_un.a_str;
	if (strcmp(mode, "ctf") == 0) {
		for (i = 0; i < n; i++)
			if (mdb_ctf_vread(&g_small, "struct kvm", "mdb_bench_kvm_t",
			    addr, 0) != 0)
				return (DCMD_ERR);
		return (DCMD_OK);
	}
	if (strcmp(mode, "plain") == 0) {
		size = mdb_ctf_sizeof_by_name("struct kvm");
		if (size <= 0 || size > (ssize_t)sizeof (g_whole))
			return (DCMD_ERR);
		for (i = 0; i < n; i++)
			if (mdb_vread(g_whole, size, addr) != size)
				return (DCMD_ERR);
		return (DCMD_OK);
	}
	return (DCMD_USAGE);
}

static const mdb_dcmd_t dcmds[] = {
	{ "ctfread", "-n count ctf|plain", "read a struct kvm count times", ctfread },
	{ NULL }
};

static const mdb_modinfo_t modinfo = { MDB_API_VERSION, dcmds, NULL };

const mdb_modinfo_t *
_mdb_init(void)
{
	return (&modinfo);
}
