/*
 * ctf_vread_test: mdb_ctf_vread into types that agree and disagree with the target's on purpose.
 *   addr::vr CASE [-a] [-g] [-q]     -a IGNORE_ABSENT, -g IGNORE_GROW, -q QUIET
 * prints what was read, or "rc=-1 errno=N".
 */
#include <sys/mdb_modapi.h>
#include <mdb/mdb_ctf.h>
#include <errno.h>

typedef struct vr_ok {
	int kvmid;
	uintptr_t memslots;	/* a pointer read as a number */
	long kvm_pid;		/* pid_t (int) widened, sign-extended */
	struct {
		int bsp_vcpu_id;	/* uint32_t in the target: signedness differs */
	} unused;
} vr_ok_t;

typedef struct vr_grown {
	int kvmid;
	uintptr_t vcpus[2];	/* pointers as numbers; the target has 64 */
} vr_grown_t;

typedef struct vr_absent {
	int kvmid;
	int no_such_member;
} vr_absent_t;

typedef struct vr_narrow {
	short kvmid;
} vr_narrow_t;

typedef struct vr_sign {
	unsigned int kvmid;
} vr_sign_t;

typedef struct vr_kind {
	int memslots;
} vr_kind_t;

/*
 * A two-dimensional array read row by row in C's nesting: the target's rows of 24 (-g) are read
 * as far as the dmod's rows of 2 reach, whatever order gcc wrote either type's dimensions in.
 */
typedef struct vr_chip {
	int chip[3][2];
} vr_chip_t;

/* mdb_ctf_readsym reads into a type of the target's name. */
typedef struct list {
	unsigned long list_size;
	unsigned long list_offset;
} list_t;

static vr_ok_t g_ok;
static vr_grown_t g_grown;
static vr_absent_t g_absent;
static vr_narrow_t g_narrow;
static vr_sign_t g_sign;
static vr_kind_t g_kind;
static list_t g_list;
static vr_chip_t g_chip;

static int
report(int rc)
{
	if (rc != 0)
		mdb_printf("rc=%d errno=%d\n", rc, errno);
	return (rc == 0 ? DCMD_OK : DCMD_ERR);
}

static int
vr(uintptr_t addr, uint_t flags, int argc, const mdb_arg_t *argv)
{
	uint_t a = 0, g = 0, q = 0, f;
	const char *c;

	(void) flags;
	if (mdb_getopts(argc, argv, 'a', MDB_OPT_SETBITS, 1, &a,
	    'g', MDB_OPT_SETBITS, 1, &g, 'q', MDB_OPT_SETBITS, 1, &q,
	    NULL) != argc - 1 || argv[argc - 1].a_type != MDB_TYPE_STRING)
		return (DCMD_USAGE);
	c = argv[argc - 1].a_un.a_str;
	f = (a ? MDB_CTF_VREAD_IGNORE_ABSENT : 0) |
	    (g ? MDB_CTF_VREAD_IGNORE_GROW : 0) | (q ? MDB_CTF_VREAD_QUIET : 0);

	if (strcmp(c, "ok") == 0) {
		/* bsp_vcpu_id is not read: the anonymous struct has no such member. */
		if (report(mdb_ctf_vread(&g_ok, "struct kvm", "vr_ok_t", addr,
		    f | MDB_CTF_VREAD_IGNORE_ABSENT)) != DCMD_OK)
			return (DCMD_ERR);
		mdb_printf("kvmid=%d memslots=%lx pid=%ld\n", g_ok.kvmid,
		    (unsigned long)g_ok.memslots, g_ok.kvm_pid);
		return (DCMD_OK);
	}
	if (strcmp(c, "grown") == 0) {
		if (report(mdb_ctf_vread(&g_grown, "struct kvm", "vr_grown_t",
		    addr, f)) != DCMD_OK)
			return (DCMD_ERR);
		mdb_printf("kvmid=%d vcpus=%lx,%lx\n", g_grown.kvmid,
		    (unsigned long)g_grown.vcpus[0],
		    (unsigned long)g_grown.vcpus[1]);
		return (DCMD_OK);
	}
	if (strcmp(c, "absent") == 0) {
		g_absent.no_such_member = 77;
		if (report(mdb_ctf_vread(&g_absent, "struct kvm", "vr_absent_t",
		    addr, f)) != DCMD_OK)
			return (DCMD_ERR);
		mdb_printf("kvmid=%d untouched=%d\n", g_absent.kvmid,
		    g_absent.no_such_member);
		return (DCMD_OK);
	}
	if (strcmp(c, "narrow") == 0) {
		if (report(mdb_ctf_vread(&g_narrow, "struct kvm", "vr_narrow_t",
		    addr, f)) != DCMD_OK)
			return (DCMD_ERR);
		mdb_printf("kvmid=%d\n", g_narrow.kvmid);
		return (DCMD_OK);
	}
	if (strcmp(c, "sign") == 0)
		return (report(mdb_ctf_vread(&g_sign, "struct kvm", "vr_sign_t",
		    addr, f)));
	if (strcmp(c, "kind") == 0)
		return (report(mdb_ctf_vread(&g_kind, "struct kvm", "vr_kind_t",
		    addr, f)));
	if (strcmp(c, "notype") == 0)
		return (report(mdb_ctf_vread(&g_ok, "struct no_such_type",
		    "vr_ok_t", addr, f)));
	if (strcmp(c, "nomodtype") == 0)
		return (report(mdb_ctf_vread(&g_ok, "struct kvm",
		    "no_such_mod_type", addr, f)));
	if (strcmp(c, "chip") == 0) {
		int r;

		if (report(mdb_ctf_vread(&g_chip, "struct kvm_irq_routing_table",
		    "vr_chip_t", addr, f)) != DCMD_OK)
			return (DCMD_ERR);
		for (r = 0; r < 3; r++)
			mdb_printf("%d,%d%s", g_chip.chip[r][0], g_chip.chip[r][1],
			    r == 2 ? "\n" : " ");
		return (DCMD_OK);
	}
	if (strcmp(c, "readsym") == 0) {
		if (report(mdb_ctf_readsym(&g_list, "list_t", "vm_list", f)) !=
		    DCMD_OK)
			return (DCMD_ERR);
		mdb_printf("size=%lx offset=%lx\n", g_list.list_size,
		    g_list.list_offset);
		return (DCMD_OK);
	}
	if (strcmp(c, "modlookup") == 0) {
		mdb_ctf_id_t id;
		if (report(mdb_ctf_module_lookup("vr_grown_t", &id)) != DCMD_OK)
			return (DCMD_ERR);
		mdb_printf("size=%ld\n", (long)mdb_ctf_type_size(id));
		return (DCMD_OK);
	}
	return (DCMD_USAGE);
}

static const mdb_dcmd_t dcmds[] = {
	{ "vr", "[-agq] case", "mdb_ctf_vread cases", vr },
	{ NULL }
};

static const mdb_modinfo_t modinfo = { MDB_API_VERSION, dcmds, NULL };

const mdb_modinfo_t *
_mdb_init(void)
{
	return (&modinfo);
}
