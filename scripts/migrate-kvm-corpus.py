#!/usr/bin/env python3
"""Moves the kvm fuzzing corpus and regressions to the input format with a command-group byte.

Inputs of the kvm target once ran every command line (~20) each; since issue #15 byte 2 picks one
command group (fuzz/harness/kvm_case.hpp) and the old bytes 2.. follow it. This script:

  corpus:      every old input (libFuzzer's sha1-named files) becomes one candidate per group
               (the group byte inserted at offset 2); libFuzzer's -merge=1 then keeps the
               candidates that add coverage to the named seeds (written afresh by
               mdbsim-fuzz-replay --write-seeds), so the corpus keeps what the old one reached
               while each input runs a few command lines.
  regressions: an orig-* finding becomes the first group in which the original dmod still shows
               the defect its name documents (guard-page hit, step budget, or a crash); harness-*
               inputs take the group named in HARNESS_GROUPS.

  scripts/migrate-kvm-corpus.py --build build-fuzz-fast --orig-dmod /tmp/kvm_orig.so

--build is a libFuzzer build (scripts/fuzz.sh --fast makes one). Run it once, on the old format.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

GROUPS = 10  # kCommandGroups
MAX_LEN = 128  # the target's -max_len; bytes past the eighth edit are never read
HARNESS_GROUPS = {"harness-corrupt-avl-after-cycle": 5}  # mmu-pages: the AVL tree
# What each original-dmod finding must still show (stderr of the fuzz target).
SIGNATURES = {
    "orig-alias-overread": r"guard page hit",
    "orig-alias-endless-walk": r"TIMEOUT-CLASS FINDING",
    "orig-mmuinfo-recursion": r"deadly signal|stack-overflow|SEGV",
}


def with_group(data: bytes, group: int) -> bytes:
    return (data[:2] + bytes([group]) + data[2:])[:MAX_LEN]


def run_one(fuzzer, path, dmod):
    env = dict(os.environ, MDBSIM_FUZZ_DMOD=dmod)
    env.pop("MDBSIM_FUZZ_LAYOUT", None)
    p = subprocess.run([fuzzer, "-timeout=60", path], env=env, capture_output=True, text=True, errors="replace")
    return p.returncode, p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", required=True, help="libFuzzer build directory (fuzz/kvm_fuzzer, mdbsim-fuzz-replay)")
    ap.add_argument("--orig-dmod", required=True, help="the original kvm dmod, for the orig-* regressions")
    ap.add_argument("--regressions-only", action="store_true", help="leave the corpus alone")
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    a = ap.parse_args()
    fuzzer = os.path.join(a.build, "fuzz", "kvm_fuzzer")
    replay = os.path.join(a.build, "mdbsim-fuzz-replay")
    corpus = os.path.join(a.root, "fuzz", "corpus", "kvm")
    regressions = os.path.join(a.root, "fuzz", "regressions", "kvm")

    tmp = tempfile.mkdtemp(prefix="kvm-migrate-")
    cand, new = os.path.join(tmp, "cand"), os.path.join(tmp, "new")
    os.makedirs(cand)
    os.makedirs(new)
    subprocess.run([replay, "--write-seeds", new], check=True)
    old = [] if a.regressions_only else sorted(f for f in os.listdir(corpus) if re.fullmatch(r"[0-9a-f]{40}", f))
    for name in old:
        data = open(os.path.join(corpus, name), "rb").read()
        for g in range(GROUPS):
            open(os.path.join(cand, f"{name}-{g}"), "wb").write(with_group(data, g))
    if not a.regressions_only:
        env = dict(os.environ)
        env.pop("MDBSIM_FUZZ_LAYOUT", None)
        env.pop("MDBSIM_FUZZ_DMOD", None)
        subprocess.run([fuzzer, "-merge=1", f"-max_len={MAX_LEN}", "-timeout=60", "-rss_limit_mb=4096", new, cand],
                       env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=open(os.path.join(tmp, "merge.log"), "w"))
        for f in os.listdir(corpus):
            os.remove(os.path.join(corpus, f))
        for f in os.listdir(new):
            shutil.copy(os.path.join(new, f), corpus)
        print(f"corpus: {len(old)} old inputs -> {len(old) * GROUPS} candidates -> {len(os.listdir(corpus))} inputs "
              f"(named seeds included); merge log {tmp}/merge.log")

    for name in sorted(os.listdir(regressions)):
        path = os.path.join(regressions, name)
        data = open(path, "rb").read()
        if name in HARNESS_GROUPS:
            open(path, "wb").write(with_group(data, HARNESS_GROUPS[name]))
            print(f"{name}: group {HARNESS_GROUPS[name]}")
            continue
        sig = next((s for p, s in SIGNATURES.items() if name.startswith(p)), None)
        if sig is None:
            sys.exit(f"{name}: no signature known for it")
        for g in range(GROUPS):
            c = os.path.join(tmp, f"reg-{name}-{g}")
            open(c, "wb").write(with_group(data, g))
            rc, err = run_one(fuzzer, c, a.orig_dmod)
            if rc != 0 and re.search(sig, err):
                shutil.copy(c, path)
                print(f"{name}: group {g} ({re.search(sig, err).group(0)})")
                break
        else:
            sys.exit(f"{name}: the original dmod shows no '{sig}' in any group")
    shutil.rmtree(cand)


if __name__ == "__main__":
    main()
