#!/usr/bin/env bash
# The fuzz host runs the dmod as the CLI does: every command of an unedited seed prints through
# mdbsim-fuzz-replay exactly what `mdbsim --scenario SPEC -e CMD` prints on the same scenario.
# Run per layout profile (MDBSIM_FUZZ_LAYOUT), this catches a host that reaches the dmod without
# the target's types (the dmod would read another profile's offsets).
# usage: replay_matches_cli.sh REPLAY MDBSIM SEED
set -euo pipefail
replay=$1 mdbsim=$2 seed=$3
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
"$replay" --full --all-groups "$seed" > "$d/replay"
spec=$(sed -n "s/^same target: mdbsim --scenario '\(.*\)'\$/\1/p" "$d/replay")
[ -n "$spec" ] || { echo "no scenario spec in the replay of $seed" >&2; exit 1; }
n=0 cmd=""
check() {
  [ -n "$cmd" ] || return 0
  "$mdbsim" --scenario "$spec" -e "$cmd" > "$d/cli" 2>/dev/null || true
  if ! cmp -s "$d/cli" "$d/fuzz"; then
    echo "'$cmd' on $spec: the fuzz host and the CLI differ" >&2
    diff "$d/cli" "$d/fuzz" | head -20 >&2
    exit 1
  fi
  n=$((n + 1))
}
: > "$d/fuzz"
while IFS= read -r line; do
  case "$line" in
    "> "*) check; cmd=${line#> }; : > "$d/fuzz" ;;
    "    | "*) printf '%s\n' "${line#    | }" >> "$d/fuzz" ;;
    "    |") printf '\n' >> "$d/fuzz" ;;
  esac
done < "$d/replay"
check
[ "$n" -gt 10 ] || { echo "only $n commands compared" >&2; exit 1; }
echo "$n commands of $seed on $spec print the same through the fuzz host and the CLI"
