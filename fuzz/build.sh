#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script for mdbsim's fuzz targets (docs/fuzzing.md).
#
# Uses the conventional environment: $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $OUT $WORK
# ($SRC is not needed: the checkout is found from this script's location). Outside OSS-Fuzz the
# defaults build an ASan+UBSan libFuzzer set into build-fuzz-out/.
#
# $OUT receives: kvm_fuzzer lang_fuzzer image_fuzzer mdbsim-fuzz-replay, <target>.dict,
# <target>.options, <target>_seed_corpus.zip, lib/ (the project's shared libraries and the
# non-system ones they need; the executables find them through RUNPATH $ORIGIN/lib, the shared
# libraries beside themselves through $ORIGIN: a RUNPATH does not pass on to the libraries an
# executable loads, so without it libmdbsim_host.so looked for Capstone on the system) and
# dmods/kvm.so (the dmod under test by default; MDBSIM_FUZZ_DMOD names another).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${CC:=clang}"
: "${CXX:=clang++}"
: "${CFLAGS:=-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link}"
: "${CXXFLAGS:=$CFLAGS}"
# OSS-Fuzz's CXXFLAGS ask for libc++; the C++ libraries the project links (Debian/Ubuntu's fmt)
# are built against libstdc++, so the targets use libstdc++ as the system's packages do (fine for
# ASan and UBSan; MSan would need every C++ dependency rebuilt with libc++).
CXXFLAGS=${CXXFLAGS//-stdlib=libc++/}
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${OUT:=$root/build-fuzz-out}"
: "${WORK:=$root/build-fuzz-work}"
: "${JOBS:=$(nproc)}"

build=$WORK/mdbsim-build
mkdir -p "$OUT" "$build"
cmake -S "$root" -B "$build" \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_BUILD_TYPE=Fuzz \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DCMAKE_BUILD_RPATH='$ORIGIN/lib;$ORIGIN' \
  -DMDBSIM_FUZZ=ON -DMDBSIM_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DMDBSIM_BUILD_TESTS=OFF -DMDBSIM_BUILD_BENCH=OFF
cmake --build "$build" -j "$JOBS" --target kvm_fuzzer lang_fuzzer image_fuzzer mdbsim-fuzz-replay kvm

mkdir -p "$OUT/lib" "$OUT/dmods"
cp "$build"/fuzz/kvm_fuzzer "$build"/fuzz/lang_fuzzer "$build"/fuzz/image_fuzzer "$build"/mdbsim-fuzz-replay "$OUT/"
cp "$build"/dmods/kvm.so "$OUT/dmods/"
find "$build" -name 'libmdbsim_*.so*' -exec cp {} "$OUT/lib/" \;
# Runtime libraries a fuzzing runner image may not have (Unicorn, libelf, libctf, fmt, zlib, ...):
# everything the targets and the dmod need beyond the C/C++ runtime every image has.
for lib in $(ldd "$OUT"/*_fuzzer "$OUT/dmods/kvm.so" | awk '$3 ~ /^\// {print $3}' | sort -u |
             grep -Ev '/(libc|libm|libdl|librt|libpthread|libgcc_s|libstdc\+\+|libc\+\+|libc\+\+abi|ld-linux[^/]*)\.so|/libmdbsim_'); do
  # On a rebuild ldd already resolves some of them to $OUT/lib itself (RUNPATH $ORIGIN/lib).
  [ "$lib" -ef "$OUT/lib/$(basename "$lib")" ] && continue
  cp -L "$lib" "$OUT/lib/"
done

zipdir() {  # zip FILE DIR: every file of DIR at the top level of the archive
  python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for name in sorted(os.listdir(sys.argv[2])):
        z.write(os.path.join(sys.argv[2], name), name)
PY
}
for t in kvm lang image; do
  zipdir "$OUT/${t}_fuzzer_seed_corpus.zip" "$root/fuzz/corpus/$t"
  [ -f "$root/fuzz/$t.dict" ] && cp "$root/fuzz/$t.dict" "$OUT/${t}_fuzzer.dict"
done
# The kvm input is a small structure (scenario, up to 8 edits of at most 12 bytes each).
printf '[libfuzzer]\nmax_len = 128\nlen_control = 0\n' > "$OUT/kvm_fuzzer.options"
printf '[libfuzzer]\nmax_len = 512\n' > "$OUT/lang_fuzzer.options"
printf '[libfuzzer]\nmax_len = 65536\n' > "$OUT/image_fuzzer.options"
echo "fuzz/build.sh: fuzz targets in $OUT"
