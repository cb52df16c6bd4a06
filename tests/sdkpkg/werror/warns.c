/* An unused variable: a warning under -Wall, so an error under the package's -Werror. */
#include <sys/mdb_modapi.h>

static const mdb_modinfo_t modinfo = { MDB_API_VERSION, NULL, NULL };

const mdb_modinfo_t *
_mdb_init(void)
{
	int unused;

	return (&modinfo);
}
