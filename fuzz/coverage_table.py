#!/usr/bin/env python3
"""Per-file line and branch coverage as a Markdown table, from `llvm-cov export -summary-only`.

scripts/fuzz.sh --coverage writes it to summary.md; docs/fuzzing.md carries the latest one.
Files without a single instrumented line (headers of declarations only) are left out.

usage: coverage_table.py SUMMARY.json SOURCE_ROOT
"""
import json
import os
import sys


def pct(s):
    return f"{100.0 * s['covered'] / s['count']:.1f}%" if s["count"] else "—"


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 64
    with open(sys.argv[1]) as f:
        data = json.load(f)["data"][0]
    root = os.path.realpath(sys.argv[2])
    print("| file | lines | line cover | branches | branch cover |")
    print("|---|---:|---:|---:|---:|")
    for f in sorted(data["files"], key=lambda f: f["filename"]):
        s = f["summary"]
        if s["lines"]["count"] == 0:
            continue
        name = os.path.relpath(os.path.realpath(os.path.join(root, f["filename"])), root)
        print(f"| `{name}` | {s['lines']['covered']}/{s['lines']['count']} | {pct(s['lines'])} | "
              f"{s['branches']['covered']}/{s['branches']['count']} | {pct(s['branches'])} |")
    t = data["totals"]
    print(f"| **total** | {t['lines']['covered']}/{t['lines']['count']} | **{pct(t['lines'])}** | "
          f"{t['branches']['covered']}/{t['branches']['count']} | **{pct(t['branches'])}** |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
