/*
 * What gcc 12's CTF keeps of the C features mdb users meet (docs/decisions.md): bitfields,
 * anonymous unions and structs, flexible array members, enums, variables. Compiled to CTF by
 * mdbsim_add_ctf_archive (tests/types/CMakeLists.txt) as module "cases".
 */
struct bits {
	unsigned int lo : 3;
	unsigned int mid : 5;
	int neg : 4;
	int whole;
};

struct anon {
	int before;
	union {
		int as_int;
		long as_long;
	};
	struct {
		char c1;
		char c2;
	};
	int after;
};

struct flex {
	unsigned long n;
	int data[];
};

enum color { RED = 1, GREEN = 2, BLUE = 40 };

struct bits a_bits;

/*
 * Multi-dimensional arrays: gcc 12 writes them with the dimensions swapped; the type layer
 * re-nests them in C order (ctf_array_order.hpp). `row` is a plain array equal to gcc's inner
 * array of `grid`, which a deduplicating link would merge with it; `square` reads the same
 * either way.
 */
struct dims {
	int grid[2][3];
	char cube[4][5][6];
	int row[2];
	int square[3][3];
	int (*rows)[3];
};

struct dims a_dims;

/*
 * Functions: gcc -gctf writes their types into the function info section, by name in an
 * object file (mdb_ctf_func_info, mdb_ctf_func_args).
 */
long
cases_add(int a, const char *b, struct dims *c)
{
	return (a + (b != 0) + (c != 0));
}

int
cases_printf(const char *fmt, ...)
{
	return (fmt != 0);
}

void
cases_nothing(void)
{
}
