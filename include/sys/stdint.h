/* mdbsim SDK: illumos <sys/stdint.h>, the kernel's spelling of <stdint.h>. */
#ifndef _MDBSIM_SYS_STDINT_H
#define _MDBSIM_SYS_STDINT_H

#include <sys/types.h>
#include <stdint.h>

#endif /* _MDBSIM_SYS_STDINT_H */
