/*
 * mdbsim SDK: illumos <sys/sdt.h>.  Statically defined probes are kernel code; in a dmod build
 * they expand to nothing, so headers that define probe wrappers still compile.
 */
#ifndef _MDBSIM_SYS_SDT_H
#define _MDBSIM_SYS_SDT_H

#define DTRACE_PROBE(name) do { } while (0)
#define DTRACE_PROBE1(name, t1, a1) do { } while (0)
#define DTRACE_PROBE2(name, t1, a1, t2, a2) do { } while (0)
#define DTRACE_PROBE3(name, t1, a1, t2, a2, t3, a3) do { } while (0)
#define DTRACE_PROBE4(name, t1, a1, t2, a2, t3, a3, t4, a4) do { } while (0)
#define DTRACE_PROBE5(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) do { } while (0)
#define DTRACE_PROBE6(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) do { } while (0)
#define DTRACE_PROBE7(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7) \
	do { } while (0)
#define DTRACE_PROBE8(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8) \
	do { } while (0)

#endif /* _MDBSIM_SYS_SDT_H */
