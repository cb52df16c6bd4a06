#!/usr/bin/env bash
# Builds Release, runs the benchmark suite (bench/) with JSON output into bench/results/<date>.json,
# measures the peak RSS of the 4 GiB ::kvm_mmuinfo in processes of its own, writes the ratio
# tables and the machine into bench/README.md, and draws the scaling plots of that run
# (bench/mmuinfo-time.svg, bench/mmuinfo-entries-per-s.svg; Debian's python3-matplotlib, installed
# when missing).
#
#   scripts/bench.sh                 the full run (about 5 minutes on 2 cores; 8 with the original
#                                    dmod, whose 4 GiB ::kvm_mmuinfo alone takes ~2 CPU minutes)
#   scripts/bench.sh --quick         short minimum times, no 1 GiB / 4 GiB runs of the original
#   scripts/bench.sh --filter REGEX  only matching benchmarks (Google Benchmark regex)
#   scripts/bench.sh --callgrind     also count instructions of the fixed workload (docs/benchmarks.md)
#   scripts/bench.sh --no-build      use the existing build
#   scripts/bench.sh --plots RESULTS.json   only redraw the plots from an earlier run's JSON
# Environment: BENCH_BUILD_DIR (default build-bench), JOBS (default nproc), MDBSIM_ILLUMOS_KVM=<an
# illumos-kvm checkout> to build the original kvm_mdb.c and measure it side by side.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${BENCH_BUILD_DIR:-build-bench}
jobs=${JOBS:-$(nproc)}
min_time=0.1
repetitions=5
filter=""
quick=0
do_build=1
do_callgrind=0
plots_only=""
invocation="scripts/bench.sh${*:+ $*}"

while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1; min_time=0.02; repetitions=3 ;;
    --filter) filter=$2; shift ;;
    --callgrind) do_callgrind=1 ;;
    --no-build) do_build=0 ;;
    --plots) plots_only=$2; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# Debian's matplotlib, for Debian's python (a python3 earlier in PATH, e.g. pyenv's, lacks it).
plot_python=/usr/bin/python3
[ -x "$plot_python" ] || plot_python=python3
draw_plots() {  # results.json
  if ! "$plot_python" -c 'import matplotlib' 2>/dev/null; then
    echo "bench.sh: installing python3-matplotlib for the plots" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-matplotlib >/dev/null
  fi
  "$plot_python" bench/plot.py "$1" --out-dir bench
}
if [ -n "$plots_only" ]; then
  draw_plots "$plots_only"
  exit 0
fi

if [ $do_build -eq 1 ]; then
  extra=()
  [ -n "${MDBSIM_ILLUMOS_KVM:-}" ] && extra+=("-DMDBSIM_ILLUMOS_KVM=$MDBSIM_ILLUMOS_KVM")
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMDBSIM_BUILD_TESTS=OFF \
    -DMDBSIM_BUILD_BENCH=ON "${extra[@]}" >/dev/null
  cmake --build "$build" -j"$jobs" --target mdbsim_bench mdbsim_bench_run
fi
bench_bin=$build/bench/mdbsim_bench
run_bin=$build/bench/mdbsim_bench_run
[ -x "$bench_bin" ] || { echo "bench.sh: $bench_bin is not built" >&2; exit 1; }

mkdir -p bench/results
stamp=$(date +%Y-%m-%d-%H%M%S)
json=bench/results/$stamp.json
rss=bench/results/$stamp.rss.jsonl

# Every benchmark several times, the repetitions shuffled together: on a machine whose speed
# drifts, sequential runs put a slow spell on one side of a ratio (a 2M/4096MiB ::kvm_mmuinfo
# measured 0.81x and 1.85x the floor in two such runs of one build; interleaved, 1.02-1.18x over
# eight). report.py and plot.py take each benchmark's median repetition.
# One process per group of families that the report's ratios pair (mmuinfo with spt, print with
# cmd; every other family alone): shuffled among the whole suite's, the host's ::kvm_mmuinfo on a
# 2 MiB guest ranged over 1.8-3.2 us from one repetition to the next (the floor's did not), after
# ::print over 1,000 VMs, the lookup strategies' maps and the rest had run in the same process;
# in a process of its own family it ranges over 1.66-1.79 us (bench/README.md, fourth pass).
args=(--benchmark_out_format=json --benchmark_min_time="$min_time"
  --benchmark_repetitions="$repetitions" --benchmark_enable_random_interleaving=true)
groups=()
if [ -n "$filter" ]; then
  groups=("$filter")
else
  mmuinfo_group='^(mmuinfo|spt)/'
  # --quick leaves out the original's 1 and 4 GiB ::kvm_mmuinfo (minutes each).
  [ $quick -eq 1 ] && mmuinfo_group='^(spt/|mmuinfo/(floor|floor_mdb_printf|ours)/|mmuinfo/original/flat/(2M/|4K/(1|16|64|256)MiB$))'
  groups=("$mmuinfo_group" '^(print|cmd)/')
  for family in $("$bench_bin" --benchmark_list_tests 2>/dev/null | cut -d/ -f1 | sort -u); do
    case $family in mmuinfo|spt|print|cmd) ;; *) groups+=("^$family/") ;; esac
  done
fi
echo "bench.sh: load average $(cut -d' ' -f1-3 /proc/loadavg); results in $json" >&2
parts=()
for g in "${!groups[@]}"; do
  part=$(mktemp /tmp/mdbsim-bench.XXXXXX.json)
  parts+=("$part")
  echo "bench.sh: process $((g + 1))/${#groups[@]}: ${groups[$g]}" >&2
  "$bench_bin" "${args[@]}" --benchmark_filter="${groups[$g]}" --benchmark_out="$part"
done
# One JSON for the run: the first process's context, every process's benchmarks.
python3 - "$json" "${parts[@]}" <<'PY'
import json, sys
out, parts = sys.argv[1], sys.argv[2:]
merged = None
for p in parts:
    with open(p) as f:
        d = json.load(f)
    if merged is None:
        merged = d
    else:
        merged["benchmarks"].extend(d.get("benchmarks", []))
with open(out, "w") as f:
    json.dump(merged, f, indent=2)
PY
rm -f "${parts[@]}"
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# Peak RSS of the 4 GiB walk, each backend alone in a process (VmHWM reset after the build).
: >"$rss"
for backend in flat unicorn image; do
  "$run_bin" --spec spt,size=4G --backend "$backend" --workload mmuinfo | tr -d '\n' >>"$rss" || true
  echo >>"$rss"
done

report_args=(--rss "$rss" --out bench/README.md --command "$invocation" --load-end "$load_end")
if [ $do_callgrind -eq 1 ] && ! command -v valgrind >/dev/null; then
  echo "bench.sh: valgrind is not installed; skipping --callgrind" >&2
  do_callgrind=0
fi
if [ $do_callgrind -eq 1 ]; then
  out=$(mktemp /tmp/mdbsim-callgrind.XXXXXX)
  cg_cmd="valgrind --tool=callgrind --collect-atstart=no --toggle-collect=mdbsim_bench_workload --callgrind-out-file=$out $run_bin --spec spt,size=64M --workload mmuinfo"
  $cg_cmd >/dev/null 2>&1
  ir=$(awk '/^(summary|totals):/ {print $2; exit}' "$out")
  rm -f "$out"
  report_args+=(--callgrind "$ir" --callgrind-cmd "valgrind --tool=callgrind --collect-atstart=no --toggle-collect=mdbsim_bench_workload mdbsim_bench_run --spec spt,size=64M --workload mmuinfo")
  echo "bench.sh: callgrind: $ir instructions" >&2
fi
python3 bench/report.py "$json" "${report_args[@]}"
echo "bench.sh: wrote bench/README.md" >&2
draw_plots "$json" || echo "bench.sh: no plots drawn (this run has no ::kvm_mmuinfo 4K results)" >&2
