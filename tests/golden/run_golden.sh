#!/usr/bin/env bash
# Runs one mdb-style test case, as illumos' mdb test runner does (see README.md here):
#   run_golden.sh --mdbsim PROGRAM [--scenario NAME] [--image] [--skip REASON] CASE
# CASE is tst.*.mdb / err.*.mdb (fed on standard input) or tst.*.ksh / err.*.ksh (run by ksh with
# MDB and ODIR set). tst.* must exit 0, err.* non-zero; CASE.out, when present, must equal the
# standard output byte for byte. A first line "// scenario: NAME" (.mdb) or "# scenario: NAME"
# (.ksh) picks the scenario instead of --scenario. With --image the scenario is first saved as an
# ELF core image and the case runs on the image instead (the image backend must behave the same).
# Exit status: 0 pass, 1 fail, 77 skipped.
set -u

mdbsim= scenario= skip= image=
while [ $# -gt 1 ]; do
  case $1 in
    --mdbsim) mdbsim=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    --skip) skip=$2; shift 2 ;;
    --image) image=1; shift ;;
    *) break ;;
  esac
done
case=${1:?usage: run_golden.sh --mdbsim PROGRAM [--scenario NAME] [--skip REASON] CASE}

if [ -n "$skip" ]; then
  echo "SKIPPED: $case: $skip"
  exit 77
fi
[ -x "$mdbsim" ] || { echo "FAIL: no mdbsim program at '$mdbsim'"; exit 1; }
[ -r "$case" ] || { echo "FAIL: cannot read $case"; exit 1; }

header=$(head -n 1 "$case")
case $case in
  *.mdb) picked=$(printf '%s\n' "$header" | sed -n 's,^//[[:space:]]*scenario:[[:space:]]*\([^[:space:]]*\).*,\1,p') ;;
  *.ksh) picked=$(printf '%s\n' "$header" | sed -n 's,^#[[:space:]]*scenario:[[:space:]]*\([^[:space:]]*\).*,\1,p') ;;
  *) echo "FAIL: $case is neither .mdb nor .ksh"; exit 1 ;;
esac
[ -n "$picked" ] && scenario=$picked

work=$(mktemp -d "${TMPDIR:-/tmp}/mdbsim-golden.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
mkdir "$work/odir"

MDB=$mdbsim
if [ -n "$image" ]; then
  save=($mdbsim)
  [ -n "$scenario" ] && save+=(--scenario "$scenario")
  if ! "${save[@]}" --save "$work/target.core" 2> "$work/save.err"; then
    echo "FAIL: $case: could not save the scenario as an image"
    cat "$work/save.err"
    exit 1
  fi
  MDB="$MDB $work/target.core"
elif [ -n "$scenario" ]; then
  MDB="$MDB --scenario $scenario"
fi

case $case in
  *.mdb) (cd "$work" && $MDB < "$case") > "$work/stdout" 2> "$work/stderr" ;;
  *.ksh) (cd "$work" && MDB="$MDB" ODIR="$work/odir" ksh "$case") > "$work/stdout" 2> "$work/stderr" ;;
esac
status=$?

fail() {
  echo "FAIL: $case: $1"
  echo "  command: MDB='$MDB'"
  if [ -s "$work/stderr" ]; then
    echo "--- standard error ---"
    head -n 50 "$work/stderr"
  fi
  exit 1
}

# A crash is never the expected failure: the debugger must report errors, not die of them.
if [ "$status" -ge 128 ]; then
  fail "exit status $status: killed by signal $((status - 128))"
fi
name=$(basename "$case")
case $name in
  tst.*) [ "$status" -eq 0 ] || fail "exit status $status, expected 0" ;;
  err.*) [ "$status" -ne 0 ] || fail "exit status 0, expected non-zero" ;;
  *) fail "the name must start with tst. or err." ;;
esac
if [ -f "$case.out" ]; then
  if ! cmp -s "$case.out" "$work/stdout"; then
    echo "--- expected / +++ actual standard output ---"
    diff -u "$case.out" "$work/stdout" | head -n 80
    fail "standard output differs from $case.out"
  fi
fi
echo "PASS: $case"
exit 0
