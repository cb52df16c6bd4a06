#!/usr/bin/env bash
# One command for a fuzzing campaign (docs/fuzzing.md).
#
#   scripts/fuzz.sh [-t kvm|lang|image] [-d SECONDS] [-j JOBS] [--dmod FILE.so] [--backend flat|unicorn]
#                   [--layout NAME] [--seeds all|base] [--keep-going] [--fast] [--build DIR] [--out DIR]
#                   [-- libFuzzer args...]
#   scripts/fuzz.sh --coverage [--out DIR]
#   scripts/fuzz.sh -t kvm|lang|image --merge DIR
#
#   -t          target (default kvm)
#   -d          seconds of fuzzing (default 600), per worker
#   -j          parallel workers (default 1): libFuzzer -jobs=J -workers=J, each worker stopping at
#               its first finding; with --keep-going: -fork=J -ignore_crashes -ignore_timeouts
#               -ignore_ooms, so the campaign runs its whole time and keeps every finding
#   --dmod      the dmod under test (MDBSIM_FUZZ_DMOD; default our kvm.so)
#   --backend   memory backend of the kvm target (MDBSIM_FUZZ_BACKEND)
#   --layout    kvm layout profile of the kvm target's scenarios (MDBSIM_FUZZ_LAYOUT; default
#               pre-ept; mdbsim --list-layouts)
#   --seeds     kvm: start from the whole checked-in corpus (all) or only the untouched scenarios
#               (base), as the measured campaigns against the original dmod do
#   --fast      no sanitizers and edge counters only (-fsanitize-coverage=inline-8bit-counters,
#               pc-table; guard-page mdb_alloc on), for long campaigns. For kvm the engine under
#               the dmod is left uninstrumented (-DMDBSIM_FUZZ_HOST_COVERAGE=OFF: the host, sim/'s
#               memory engine, the harness's journal, allocator and host loop; the dmod, the genunix
#               walkers, sim/'s kvm builders and corruptions and the input decoder stay covered).
#               Default build directory
#               build-fuzz-fast (kvm) or build-fuzz-fast-<target>
#   --build     a build directory configured with -DMDBSIM_FUZZ=ON (default: build-fuzz, made with
#               clang, ASan and UBSan when it does not exist)
#   --out       where the run goes (default fuzz-runs/<target>-<time>): corpus/, artifacts, logs
#   --coverage  no fuzzing: a source-based coverage report of the checked-in corpus and regressions
#               of all three targets (kvm on the pre-ept and upstream layouts, flat backend) over
#               walkers/ and sim/ (clang -fprofile-instr-generate -fcoverage-mapping through
#               fuzz/build.sh, llvm-profdata, llvm-cov; Debian's clang and llvm, installed when
#               missing). Build directory build-fuzz-cov; report in --out (default
#               fuzz-runs/coverage-<time>): html/index.html, report.txt, summary.md (per-file table)
#   --merge DIR no fuzzing: merge a corpus from elsewhere (a ClusterFuzzLite or OSS-Fuzz campaign,
#               another machine) into fuzz/corpus/<target>, keeping only the inputs that add
#               coverage (libFuzzer -merge=1); then review and commit fuzz/corpus/
#
# At the end it prints executions, exec/s and every finding with the time it was found.
# Replay a finding: <build>/mdbsim-fuzz-replay [--save-image case.core] FINDING
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=kvm seconds=600 jobs=1 dmod="" backend="" layout="" seeds=all keep_going=0 fast=0 build="" out=""
coverage=0 merge=""
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    -t) target=$2; shift 2 ;;
    -d) seconds=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --dmod) dmod=$(readlink -f "$2"); shift 2 ;;
    --backend) backend=$2; shift 2 ;;
    --layout) layout=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --keep-going) keep_going=1; shift ;;
    --fast) fast=1; shift ;;
    --build) build=$(readlink -f "$2"); shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    --coverage) coverage=1; shift ;;
    --merge) merge=$(readlink -f "$2"); shift 2 ;;
    -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
    *) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
case $target in kvm|lang|image) ;; *) echo "fuzz.sh: no target '$target'" >&2; exit 64 ;; esac

if [ "$coverage" = 1 ]; then
  # The build OSS-Fuzz makes for its coverage reports: the same fuzz/build.sh, profile
  # instrumentation instead of sanitizers, libFuzzer's main as the driver (-runs=0: every input
  # once, no mutation).
  # Debian 12's clang 14 with its runtimes (profile, libFuzzer) and llvm-profdata/llvm-cov (the
  # llvm package); the project's own build dependencies are scripts/dev.sh deps'.
  missing=()
  for p in clang libclang-rt-14-dev llvm; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "fuzz.sh: installing ${missing[*]}" >&2
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null || { echo "fuzz.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
      sudo=sudo
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  build=${build:-$root/build-fuzz-cov}
  out=${out:-$root/fuzz-runs/coverage-$(date +%Y%m%d-%H%M%S)}
  mkdir -p "$out" "$build"
  out=$(readlink -f "$out")
  cflags="-O1 -g -fprofile-instr-generate -fcoverage-mapping"
  # The coverage mapping records source paths as the compiler got them; ccache's base_dir rewrites
  # them relative to each build directory, and llvm-cov then neither merges one header's copies
  # nor matches the walkers/ and sim/ filter. An empty CCACHE_BASEDIR overrides any ccache.conf.
  export CCACHE_BASEDIR=
  echo "fuzz.sh: coverage build in $build (log $build/build.log)" >&2
  if ! CC=clang CXX=clang++ CFLAGS="$cflags" CXXFLAGS="$cflags" LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
       OUT="$build/out" WORK="$build/work" bash -eu "$root/fuzz/build.sh" >"$build/build.log" 2>&1; then
    cat "$build/build.log" >&2
    echo "fuzz.sh: coverage build failed" >&2
    exit 1
  fi
  rm -rf "$out/profraw"
  mkdir -p "$out/profraw"
  # The kvm corpus twice: on the default layout profile (pre-ept, the dmod's compiled offsets) and
  # on upstream's (offsets from the target's CTF), as the test suite replays it.
  for run in kvm:pre-ept kvm:upstream lang: image:; do
    t=${run%%:*} lay=${run#*:}
    inputs=("$root/fuzz/corpus/$t")
    [ -d "$root/fuzz/regressions/$t" ] && inputs+=("$root/fuzz/regressions/$t")
    # %m: one file per instrumented module (the program, each shared library, each dmod).
    if ! LLVM_PROFILE_FILE="$out/profraw/$t${lay:+-$lay}-%m-%p.profraw" MDBSIM_FUZZ_BACKEND=flat \
         MDBSIM_FUZZ_LAYOUT=$lay "$build/out/${t}_fuzzer" -runs=0 -timeout=60 -rss_limit_mb=4096 "${inputs[@]}" \
         >"$out/$t${lay:+-$lay}.log" 2>&1; then
      tail -20 "$out/$t${lay:+-$lay}.log" >&2
      echo "fuzz.sh: $t ${lay:+($lay) }failed over its corpus (log $out/$t${lay:+-$lay}.log)" >&2
      exit 1
    fi
    echo "fuzz.sh: $t${lay:+ ($lay)}: $(find "${inputs[@]}" -type f | wc -l) inputs run" >&2
  done
  llvm-profdata merge -sparse "$out"/profraw/*.profraw -o "$out/corpus.profdata"
  objects=("$build/out/kvm_fuzzer")
  while IFS= read -r f; do
    objects+=(-object "$f")
  done < <(ls "$build/out/lang_fuzzer" "$build/out/image_fuzzer";
           find "$build/work/mdbsim-build" \( -name 'libmdbsim_*.so' -o -path '*/dmods/*.so' \) -type f | sort)
  sources=("$root/walkers" "$root/sim")
  cov=(-instr-profile="$out/corpus.profdata" "${objects[@]}")
  llvm-cov report "${cov[@]}" "${sources[@]}" >"$out/report.txt"
  llvm-cov show -format=html -show-branches=count -output-dir="$out/html" "${cov[@]}" "${sources[@]}"
  llvm-cov export -summary-only "${cov[@]}" "${sources[@]}" >"$out/summary.json"
  python3 "$root/fuzz/coverage_table.py" "$out/summary.json" "$root" >"$out/summary.md"
  tail -1 "$out/report.txt" >&2
  echo "fuzz.sh: coverage report in $out (html/index.html, report.txt, summary.md)" >&2
  exit 0
fi

if [ -z "$build" ]; then
  if [ "$fast" = 1 ]; then
    build="$root/build-fuzz-fast"
    [ "$target" = kvm ] || build="$root/build-fuzz-fast-$target"
  else
    build="$root/build-fuzz"
  fi
fi
if [ ! -x "$build/fuzz/${target}_fuzzer" ]; then
  if [ ! -f "$build/CMakeCache.txt" ]; then
    if [ "$fast" = 1 ]; then
      flags="-g -fsanitize-coverage=inline-8bit-counters,pc-table"
      host_cov=ON
      [ "$target" = kvm ] && host_cov=OFF
      CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMDBSIM_SANITIZE=OFF \
        -DMDBSIM_FUZZ=ON -DMDBSIM_FUZZ_HOST_COVERAGE=$host_cov -DMDBSIM_BUILD_TESTS=OFF -DMDBSIM_BUILD_BENCH=OFF \
        -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >/dev/null
    else
      flags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link"
      CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMDBSIM_SANITIZE=ON \
        -DMDBSIM_FUZZ=ON -DMDBSIM_BUILD_TESTS=OFF -DMDBSIM_BUILD_BENCH=OFF \
        -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >/dev/null
    fi
  fi
  cmake --build "$build" -j "$(nproc)" --target "${target}_fuzzer" mdbsim-fuzz-replay kvm
fi

if [ -n "$merge" ]; then
  [ -d "$merge" ] || { echo "fuzz.sh: --merge: no directory $merge" >&2; exit 64; }
  dest=$root/fuzz/corpus/$target
  before=$(ls "$dest" | wc -l)
  mlen=128
  case $target in lang) mlen=512 ;; image) mlen=65536 ;; esac
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} MDBSIM_FUZZ_BACKEND=${backend:-flat} \
    "$build/fuzz/${target}_fuzzer" -merge=1 -max_len=$mlen -timeout=60 -rss_limit_mb=4096 "$dest" "$merge"
  echo "fuzz.sh: fuzz/corpus/$target: $before -> $(ls "$dest" | wc -l) inputs (git status fuzz/corpus to review)" >&2
  exit 0
fi

out=${out:-$root/fuzz-runs/$target-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out/corpus" "$out/artifacts"
out=$(readlink -f "$out")
seed_dir=$out/seeds
mkdir -p "$seed_dir"
if [ "$target" = kvm ] && [ "$seeds" = base ]; then
  cp "$root"/fuzz/corpus/kvm/base-* "$seed_dir/"
else
  cp "$root/fuzz/corpus/$target"/* "$seed_dir/"
fi

args=(-max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 -print_final_stats=1
      -artifact_prefix="$out/artifacts/")
[ -f "$root/fuzz/$target.dict" ] && args+=(-dict="$root/fuzz/$target.dict")
case $target in
  kvm) args+=(-max_len=128 -len_control=0) ;;
  lang) args+=(-max_len=512) ;;
  image) args+=(-max_len=65536) ;;
esac
if [ "$keep_going" = 1 ]; then
  args+=(-fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
elif [ "$jobs" -gt 1 ]; then
  args+=(-jobs="$jobs" -workers="$jobs")
fi

export MDBSIM_FUZZ_DMOD=${dmod:-${MDBSIM_FUZZ_DMOD:-}}
export MDBSIM_FUZZ_BACKEND=${backend:-${MDBSIM_FUZZ_BACKEND:-flat}}
export MDBSIM_FUZZ_LAYOUT=${layout:-${MDBSIM_FUZZ_LAYOUT:-}}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
echo "fuzz.sh: $target for ${seconds}s x $jobs, dmod ${MDBSIM_FUZZ_DMOD:-ours}, backend $MDBSIM_FUZZ_BACKEND, layout ${MDBSIM_FUZZ_LAYOUT:-default} -> $out"
start=$(date +%s)
echo "$start" > "$out/start"
cd "$out"
set +e
"$build/fuzz/${target}_fuzzer" "${args[@]}" "${extra[@]}" corpus "$seed_dir" > "$out/fuzz.log" 2>&1
rc=$?
set -e
end=$(date +%s)

# Executions: the final stats of each process (the main log, and fuzz-N.log of -jobs workers);
# in fork mode the last "#N:" status line counts every child's executions.
execs=0
for log in "$out"/fuzz.log "$out"/fuzz-*.log; do
  [ -f "$log" ] || continue
  n=$( (grep -h '^stat::number_of_executed_units' "$log" || true) | awk '{s+=$2} END {print s+0}')
  execs=$((execs + n))
done
if [ "$keep_going" = 1 ]; then
  n=$( (grep -Eo '^#[0-9]+:' "$out/fuzz.log" || true) | tail -1 | tr -dc 0-9)
  execs=${n:-$execs}
fi
elapsed=$((end - start))
echo "fuzz.sh: exit $rc after ${elapsed}s, $execs executions ($((execs / (elapsed > 0 ? elapsed : 1))) exec/s overall)"
found=0
for a in "$out"/artifacts/*; do
  [ -e "$a" ] || continue
  found=$((found + 1))
  t=$(stat -c %Y "$a")
  echo "finding after $((t - start))s: $(basename "$a")"
done
echo "fuzz.sh: $found finding(s); corpus $(ls "$out/corpus" | wc -l) inputs; log $out/fuzz.log"
exit 0
