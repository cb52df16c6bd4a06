/* mdbsim SDK: illumos <sys/bitmap.h>: bitmaps stored in arrays of unsigned long. */
#ifndef _MDBSIM_SYS_BITMAP_H
#define _MDBSIM_SYS_BITMAP_H

#include <sys/types.h>

#define BT_ULSHIFT 6			/* log2 of the bits in an unsigned long (LP64) */
#define BT_NBIPUL (1 << BT_ULSHIFT)	/* bits in an unsigned long */
#define BT_ULMASK (BT_NBIPUL - 1)

/* unsigned longs needed for a bitmap of nbits bits */
#define BT_BITOUL(nbits) (((nbits) + BT_NBIPUL - 1l) / BT_NBIPUL)
#define BT_SIZEOFMAP(nbits) (BT_BITOUL(nbits) * sizeof (ulong_t))

#define BT_WIM(bitmap, bitindex) ((bitmap)[(bitindex) >> BT_ULSHIFT])
#define BT_BIW(bitindex) (1UL << ((bitindex) & BT_ULMASK))

#define BT_TEST(bitmap, bitindex) ((BT_WIM((bitmap), (bitindex)) & BT_BIW(bitindex)) ? 1 : 0)
#define BT_SET(bitmap, bitindex) { BT_WIM((bitmap), (bitindex)) |= BT_BIW(bitindex); }
#define BT_CLEAR(bitmap, bitindex) { BT_WIM((bitmap), (bitindex)) &= ~BT_BIW(bitindex); }

#endif /* _MDBSIM_SYS_BITMAP_H */
