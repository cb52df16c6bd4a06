/* mdbsim SDK: illumos <sys/ioccom.h>: BSD-style ioctl command encoding (illumos values). */
#ifndef _MDBSIM_SYS_IOCCOM_H
#define _MDBSIM_SYS_IOCCOM_H

#define IOCPARM_MASK 0xff		/* parameter length, at most 255 bytes */
#define IOC_VOID 0x20000000
#define IOC_OUT 0x40000000
#define IOC_IN 0x80000000
#define IOC_INOUT (IOC_IN | IOC_OUT)

#ifndef _IO
#define _IO(x, y) (IOC_VOID | ((x) << 8) | (y))
#define _IOR(x, y, t) (IOC_OUT | ((sizeof (t) & IOCPARM_MASK) << 16) | ((x) << 8) | (y))
#define _IOW(x, y, t) (IOC_IN | ((sizeof (t) & IOCPARM_MASK) << 16) | ((x) << 8) | (y))
#define _IOWR(x, y, t) (IOC_INOUT | ((sizeof (t) & IOCPARM_MASK) << 16) | ((x) << 8) | (y))
#endif

#endif /* _MDBSIM_SYS_IOCCOM_H */
