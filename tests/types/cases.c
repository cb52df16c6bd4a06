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
