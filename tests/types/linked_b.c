/*
 * The second compilation unit of ctf_linked (see linked_a.c): its own struct linked_clash.
 */
#include <stddef.h>

struct linked_shared {
	int ls_id;
	long ls_count;
	int ls_grid[2][3];	/* gcc 12 swaps the dimensions: re-nested on reading */
};

struct linked_clash {
	char lc_b[3];
	long lc_q;
};

struct linked_shared linked_shared_b;
struct linked_clash linked_clash_b;

char *
linked_varargs(const char *fmt, ...)
{
	return ((char *)fmt);
}

long
linked_clash_b_fn(struct linked_clash c, int n)
{
	return (c.lc_q + n);
}
