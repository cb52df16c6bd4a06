/* mdbsim SDK: illumos <sys/cmn_err.h>: message levels. */
#ifndef _MDBSIM_SYS_CMN_ERR_H
#define _MDBSIM_SYS_CMN_ERR_H

#define CE_CONT 0
#define CE_NOTE 1
#define CE_WARN 2
#define CE_PANIC 3
#define CE_IGNORE 4

#endif /* _MDBSIM_SYS_CMN_ERR_H */
