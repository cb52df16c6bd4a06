/*
 * mdbsim SDK: illumos <sys/null.h> semantics for NULL.
 *
 * Real dmods compare uintptr_t values with NULL and pass NULL where a uintptr_t is expected.
 * illumos LP64 C defines NULL as the integer 0L, which makes both legal; glibc's ((void *)0)
 * does not.  Included last by every SDK header that may follow a system header.
 */
#ifdef NULL
#undef NULL
#endif
#ifdef __cplusplus
#define NULL 0
#else
#define NULL 0L
#endif
