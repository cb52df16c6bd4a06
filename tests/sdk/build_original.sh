#!/bin/sh
# Builds the ORIGINAL illumos-kvm dmod (kvm_mdb.c, unchanged) against the SDK with the build
# line of decisions.md, plus original_layout_check.c the same way, and checks the result is a
# loadable dmod: it defines _mdb_init and needs nothing but the module API and libc.
#
# usage: build_original.sh CHECKOUT SDK_INCLUDE OUTDIR [LAYOUT_CHECK_C [NAME]]
# LAYOUT_CHECK_C is compiled the same way: each illumos-kvm version has its own (the pre-ept fork's
# original_layout_check.c, upstream's upstream_layout_check.c); without it only the dmod is built.
set -eu
checkout=$1
sdk=$2
out=$3
check=${4:-}
name=${5:-kvm_orig}
cc=${MDBSIM_ORIGINAL_CC:-gcc}

if [ ! -f "$checkout/kvm_mdb.c" ]; then
	echo "FAIL: $checkout has no kvm_mdb.c (MDBSIM_ILLUMOS_KVM must name an illumos-kvm checkout)"
	exit 1
fi
mkdir -p "$out"

# The original must always get its own headers: nothing in the SDK may share their names.
for h in "$checkout"/*.h; do
	hname=$(basename "$h")
	found=$(find "$sdk" -name "$hname" -print | head -n 1)
	if [ -n "$found" ]; then
		echo "FAIL: SDK header $found has the name of the original's $hname"
		exit 1
	fi
done

set -x
"$cc" -std=gnu99 -m64 -D_KERNEL -fPIC -shared -I"$checkout" -I"$sdk" \
	"$checkout/kvm_mdb.c" -o "$out/$name.so"
if [ -n "$check" ]; then
	"$cc" -std=gnu99 -m64 -D_KERNEL -fPIC -c -I"$checkout" -I"$sdk" \
		"$check" -o "$out/${name}_layout_check.o"
fi
set +x

if ! nm -D --defined-only "$out/$name.so" | grep -q ' T _mdb_init$'; then
	echo "FAIL: $name.so does not define _mdb_init"
	exit 1
fi
# Undefined symbols must be module API functions (incl. mdb_pfn2page), mdb_ks variables
# (<mdb/mdb_param.h>) or weak runtime hooks.
extra=$(nm -D --undefined-only "$out/$name.so" | awk '$1 == "U" && $2 !~ /^(mdb_|_mdb_ks_)/ { print $2 }')
if [ -n "$extra" ]; then
	echo "FAIL: $name.so needs symbols outside the module API: $extra"
	exit 1
fi
if [ -n "$check" ]; then
	echo "kvm dmod built: $out/$name.so (layouts checked)"
else
	echo "kvm dmod built: $out/$name.so"
fi
