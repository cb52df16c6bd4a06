#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: installs what is missing, builds, runs.
#   scripts/dev.sh run    build, then run mdbsim on its built-in default scenario
#   scripts/dev.sh test   build (plain and ASan+UBSan) and run every test, then the libFuzzer
#                         targets (clang) over their corpora; prints each phase's time at the end
# Both use the one Release build in $BUILD_DIR, so they work in either order and each repeated;
# the sanitizer build (Debug) and the fuzz smoke build have folders of their own.
#   scripts/dev.sh deps   only install the Debian packages
# Environment: BUILD_DIR (default build), ASAN_BUILD_DIR (default build-asan), JOBS (default nproc),
# FUZZ_BUILD_DIR (default build-fuzz-smoke), MDBSIM_SKIP_ASAN=1 to skip the sanitizer pass,
# MDBSIM_SKIP_FUZZ=1 to skip the libFuzzer runs, MDBSIM_ILLUMOS_KVM=<checkout> to compare with
# the original kvm dmod, MDBSIM_ILLUMOS_KVM_UPSTREAM=<checkout> to build upstream's kvm_mdb.c too.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${BUILD_DIR:-build}
asan_build=${ASAN_BUILD_DIR:-build-asan}
fuzz_build=${FUZZ_BUILD_DIR:-build-fuzz-smoke}
jobs=${JOBS:-$(nproc)}

# Exactly what the project uses (decisions.md lists the why of each).
packages=(build-essential cmake pkg-config libunicorn-dev libelf-dev libgtest-dev libgmock-dev
  libbenchmark-dev libfmt-dev libcli11-dev libedit-dev libcapstone-dev ksh clang libclang-rt-14-dev tmux gdb
  binutils binutils-dev valgrind python3 ninja-build)

install_deps() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "dev.sh: installing ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "dev.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Seconds per phase, printed at the end of `test` (docs/testing.md keeps the measured ones).
phase_names=() phase_secs=()
# Besides wall seconds, the CPU seconds (user + system) of each phase's whole process tree: on a
# machine shared with other work the wall time says little, and half the CPU time is the best
# wall time two cores can reach.
phase_cpus=()
times_file=$(mktemp)
cpu_now=0
children_cpu() {  # sets cpu_now: CPU seconds used so far by this shell's finished children
  times >"$times_file"  # here, not in a pipe or $(...): a subshell's `times` has no children
  cpu_now=$(awk 'NR == 2 { split($0, f, /[ ms]+/); print int(f[1] * 60 + f[2] + f[3] * 60 + f[4]) }' "$times_file")
}
timed() {  # name, command...
  local name=$1; shift
  local t0=$SECONDS c0
  children_cpu; c0=$cpu_now
  "$@"
  children_cpu
  phase_names+=("$name") phase_secs+=($((SECONDS - t0))) phase_cpus+=($((cpu_now - c0)))
}
print_phases() {
  local i total=0 cpu=0
  for i in "${!phase_names[@]}"; do
    printf 'dev.sh: %-22s %5d s wall %6d s CPU\n' "${phase_names[$i]}" "${phase_secs[$i]}" "${phase_cpus[$i]}" >&2
    total=$((total + phase_secs[i])) cpu=$((cpu + phase_cpus[i]))
  done
  printf 'dev.sh: %-22s %5d s wall %6d s CPU\n' total "$total" "$cpu" >&2
  rm -f "$times_file"
}

# Ninja for a new build folder (a folder keeps the generator it was made with): make builds a
# target only after the libraries it links, so with the sources in a few large batches one core
# waits at every library; Ninja compiles a target's sources as soon as their inputs exist.
generator() {  # dir; appends to extra
  [ -f "$1/CMakeCache.txt" ] || ! command -v ninja >/dev/null || extra+=(-G Ninja)
}
# The project's sources compiled in batches (MDBSIM_UNITY_BUILD, CMakeLists.txt): a fifth of the
# compile time of each of the three builds below (docs/testing.md).
configure() {  # dir, extra cmake args...
  local dir=$1; shift
  local extra=()
  [ -n "${MDBSIM_ILLUMOS_KVM:-}" ] && extra+=(-DMDBSIM_ILLUMOS_KVM="$MDBSIM_ILLUMOS_KVM")
  [ -n "${MDBSIM_ILLUMOS_KVM_UPSTREAM:-}" ] && extra+=(-DMDBSIM_ILLUMOS_KVM_UPSTREAM="$MDBSIM_ILLUMOS_KVM_UPSTREAM")
  # ccache when the machine has it (developers' machines; CI's fresh machine does not need it).
  command -v ccache >/dev/null && extra+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  generator "$dir"
  mkdir -p "$dir"
  # Quiet when all is well; the whole log when something is not.
  if ! cmake -S . -B "$dir" -DMDBSIM_WERROR=ON -DMDBSIM_UNITY_BUILD=ON "${extra[@]}" "$@" >"$dir/build.log" 2>&1; then
    cat "$dir/build.log" >&2
    echo "dev.sh: configuring $dir failed (log: $dir/build.log)" >&2
    exit 1
  fi
}
build() {  # dir
  if ! cmake --build "$1" -j"$jobs" >>"$1/build.log" 2>&1; then
    cat "$1/build.log" >&2
    echo "dev.sh: build in $1 failed (log: $1/build.log)" >&2
    exit 1
  fi
}
configure_and_build() {  # dir, extra cmake args...
  configure "$@"
  build "$1"
}
build_fuzz_targets() {  # clang, ASan+UBSan, instrumented for libFuzzer throughout; only the targets
  local flags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link"
  local extra=()
  generator "$fuzz_build"
  mkdir -p "$fuzz_build"
  if ! { CC=clang CXX=clang++ cmake -S . -B "$fuzz_build" "${extra[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
           -DMDBSIM_SANITIZE=ON -DMDBSIM_FUZZ=ON -DMDBSIM_BUILD_BENCH=OFF -DMDBSIM_UNITY_BUILD=ON \
           -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" &&
         cmake --build "$fuzz_build" -j"$jobs" --target kvm_fuzzer lang_fuzzer image_fuzzer kvm; } \
       >"$fuzz_build/build.log" 2>&1; then
    cat "$fuzz_build/build.log" >&2
    echo "dev.sh: fuzz build in $fuzz_build failed (log: $fuzz_build/build.log)" >&2
    exit 1
  fi
}

cmd=${1:-test}
case "$cmd" in
  deps)
    install_deps
    ;;
  run)
    install_deps
    configure_and_build "$build" -DCMAKE_BUILD_TYPE=Release
    shift || true
    if [ $# -gt 0 ]; then
      exec "$build/mdbsim" "$@"
    fi
    exec "$build/mdbsim" -e "$(cat scripts/demo.mdb)"
    ;;
  test)
    install_deps
    trap print_phases EXIT  # also when a phase fails: how far it got, and how long that took
    # One CTest test per GoogleTest program, not per case (tests/CMakeLists.txt: mdbsim_gtests).
    timed "release build" configure_and_build "$build" -DCMAKE_BUILD_TYPE=Release -DMDBSIM_TESTS_PER_PROGRAM=ON
    timed "release tests" bash -c 'cd "$1" && ctest --output-on-failure -j"$2"' _ "$build" "$jobs"
    if [ "${MDBSIM_SKIP_ASAN:-0}" != 1 ]; then
      # gcc, as the Release build: the dmods' own types come from gcc -gctf (clang writes no CTF,
      # so the type tests need gcc; docs/testing.md).
      timed "asan build" configure_and_build "$asan_build" -DMDBSIM_SANITIZE=ON -DMDBSIM_BUILD_BENCH=OFF -DMDBSIM_TESTS_PER_PROGRAM=ON \
        -DCMAKE_BUILD_TYPE=Debug
      timed "asan tests" bash -c 'cd "$1" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j"$2"' _ "$asan_build" "$jobs"
    fi
    if [ "${MDBSIM_SKIP_FUZZ:-0}" != 1 ]; then
      # The libFuzzer targets (clang, ASan+UBSan, as scripts/fuzz.sh builds them), each run over
      # its checked-in corpus (docs/fuzzing.md); only they are built here. The mutating smoke
      # runs (fixed seed, fixed counts) are fuzz_smoke_* in the two suites above.
      timed "libfuzzer build" build_fuzz_targets
      timed "libfuzzer runs" bash -c 'cd "$1" && ctest --output-on-failure -R "^fuzz_libfuzzer_" -j"$2"' _ "$fuzz_build" "$jobs"
    fi
    ;;
  *)
    echo "usage: scripts/dev.sh run [mdbsim args...] | test | deps" >&2
    exit 2
    ;;
esac
