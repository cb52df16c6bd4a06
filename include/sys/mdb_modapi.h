/* mdbsim SDK: the module API under the spelling the illumos kernel dmods use. */
#include <mdb/mdb_modapi.h>
