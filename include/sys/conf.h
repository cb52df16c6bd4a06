/* mdbsim SDK: illumos <sys/conf.h>. Device switch tables; dmods include it but use nothing from it. */
#ifndef _MDBSIM_SYS_CONF_H
#define _MDBSIM_SYS_CONF_H

#include <sys/types.h>

struct cb_ops;
struct dev_ops;

/* Driver prototypes name struct file; illumos declares it before they are seen. */
struct file;

#endif
