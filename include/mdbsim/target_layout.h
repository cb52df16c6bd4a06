/*
 * mdbsim's ::load compares a dmod's own CTF (gcc -gctf) with the target's types and warns where a
 * struct or union of the same name has a member at another offset: a dmod compiled against one
 * version of a kernel's headers reads another version's structures wrongly.
 *
 * A dmod that does not rely on the compiled layout of some of its types (it reads their members
 * at the target's offsets through mdb_ctf_lookup_by_name and mdb_ctf_member_info, or through
 * mdb_ctf_vread, or not at all) names them here, once, in any of its files:
 *
 *	MDBSIM_TARGET_LAYOUT_TYPES("struct kvm", "struct kvm_vcpu", "kvm_ringbuf_t");
 *
 * A typedef stands for the struct it names. The types listed are not compared; the others still
 * are. The macro only defines a data symbol, which illumos' mdb never looks at.
 */
#ifndef _MDBSIM_TARGET_LAYOUT_H
#define	_MDBSIM_TARGET_LAYOUT_H

#define	MDBSIM_TARGET_LAYOUT_TYPES(...) \
	extern const char *const mdbsim_target_layout_types[]; \
	const char *const mdbsim_target_layout_types[] = { __VA_ARGS__, (const char *)0 }

#endif /* _MDBSIM_TARGET_LAYOUT_H */
