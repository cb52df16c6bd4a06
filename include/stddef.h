/*
 * mdbsim SDK: <stddef.h> pass-through that keeps illumos' NULL.
 *
 * Every libc header that defines NULL does it by including <stddef.h>, which would turn NULL
 * back into ((void *)0) when a dmod includes, say, <stdio.h> after the module API header.  Once
 * the API header (or the kernel view) is in effect, NULL is re-asserted as illumos defines it.
 * No include guard: the compiler's header is included piecemeal (__need_size_t, __need_NULL).
 */
#pragma GCC system_header
#include_next <stddef.h>

#if defined(_MDBSIM_MDB_MODAPI_H) || defined(_KERNEL)
#include <sys/null.h>
#endif
