#!/usr/bin/env python3
"""Draws the scaling plots of one mdbsim_bench JSON run (Google Benchmark format) as SVG.

  mmuinfo-time.svg         ::kvm_mmuinfo CPU time per command vs guest size, log-log
  mmuinfo-entries-per-s.svg  printed SPT entries per second vs guest size

Series (4 KiB pages, every size the run has): ours on the flat, Unicorn and image backends, the
floor, the tight walk and the original dmod (when the run has it: MDBSIM_ILLUMOS_KVM). Every point
is a benchmark of that one run, as in bench/README.md's tables; nothing is interpolated.

The SVGs are reproducible for a given JSON (no date, fixed ids), so a rerun over the same results
changes nothing in git.

usage: plot.py RESULTS.json [--out-dir DIR]   (Debian: python3-matplotlib)
"""
import argparse
import os
import re
import sys

# The run's benchmarks as the report reads them (each the median of its repetitions).
from report import load as load_report

# (label, benchmark family, backend, style); the family/backend/4K/<size>MiB names of bench/.
SERIES = [
    ("ours, flat", "mmuinfo/ours", "flat", dict(color="C0", marker="o")),
    ("ours, Unicorn", "mmuinfo/ours", "unicorn", dict(color="C1", marker="s")),
    ("ours, image", "mmuinfo/ours", "image", dict(color="C2", marker="^")),
    ("floor (tables read once + fmt)", "mmuinfo/floor", "flat", dict(color="k", marker="x", linestyle="--")),
    ("tight walk (no output)", "spt/tight", "flat", dict(color="0.5", marker=".", linestyle=":")),
    ("original kvm_mdb.c, flat", "mmuinfo/original", "flat", dict(color="C3", marker="D")),
]


def series(runs, family, backend):
    """[(MiB, cpu seconds per command, entries per second)] of one family/backend, 4 KiB pages."""
    pts = []
    pat = re.compile(re.escape(f"{family}/{backend}/4K/") + r"(\d+)MiB$")
    for name, b in runs.items():
        m = pat.match(name)
        if not m:
            continue
        secs = b["cpu_ns"] / 1e9
        entries = b.get("entries")
        pts.append((int(m.group(1)), secs, entries / secs if entries and secs > 0 else None))
    return sorted(pts)


def size_ticks(ax, sizes):
    ax.set_xticks(sizes)
    ax.set_xticklabels([f"{s // 1024} GiB" if s >= 1024 else f"{s} MiB" for s in sizes])
    ax.minorticks_off()
    ax.set_xlabel("guest memory (4 KiB pages)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    try:
        import matplotlib
        matplotlib.use("svg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("plot.py: needs matplotlib (Debian: apt-get install python3-matplotlib)", file=sys.stderr)
        return 1
    matplotlib.rcParams["svg.hashsalt"] = "mdbsim"  # stable element ids
    matplotlib.rcParams["svg.fonttype"] = "none"     # text as text, not paths

    _, runs, _ = load_report(args.results)
    data = [(label, style, series(runs, fam, be)) for label, fam, be, style in SERIES]
    data = [d for d in data if d[2]]
    if not data:
        print(f"plot.py: no mmuinfo/spt 4K results in {args.results}", file=sys.stderr)
        return 1
    sizes = sorted({p[0] for _, _, pts in data for p in pts})
    src = os.path.basename(args.results)

    outputs = []
    for fname, ylabel, col, title in (
            ("mmuinfo-time.svg", "CPU time per command (s)", 1, "::kvm_mmuinfo time vs guest size"),
            ("mmuinfo-entries-per-s.svg", "SPT entries per second (printed; walked for the tight walk)", 2,
             "::kvm_mmuinfo throughput vs guest size")):
        fig, ax = plt.subplots(figsize=(8, 5.5))
        for label, style, pts in data:
            xs = [p[0] for p in pts if p[col] is not None]
            ys = [p[col] for p in pts if p[col] is not None]
            if xs:
                ax.plot(xs, ys, label=label, linewidth=1.5, markersize=5, **style)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        size_ticks(ax, sizes)
        ax.set_ylabel(ylabel)
        ax.set_title(f"{title}\n({src}, one run, CPU time of the benchmark thread, median repetition)", fontsize=10)
        ax.grid(True, which="major", linewidth=0.4, alpha=0.6)
        ax.legend(fontsize=8, loc="best")
        fig.tight_layout()
        out = os.path.join(args.out_dir, fname)
        fig.savefig(out, format="svg", metadata={"Date": None})
        plt.close(fig)
        outputs.append(out)
    for out in outputs:
        print(f"plot.py: wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
