#!/usr/bin/env bash
# One golden-trace test: runs a scenario twice with the invariant checker on,
# requires the two traces to be byte-identical (determinism) and the first to
# agree with the golden trace, printing `kvsim diff`'s words where it does not.
# Usage: check.sh KVSIM_BINARY SCENARIO GOLDEN_FILE WORK_DIR
set -uo pipefail
kvsim=$1 scenario=$2 golden=$3 work=$4
mkdir -p "$work"
a="$work/$scenario.a.jsonl" b="$work/$scenario.b.jsonl"
if ! "$kvsim" run "$scenario" --quiet --check-invariants --trace "$a"; then
  echo "golden: the scenario $scenario fails its expectations or invariants (output above)"
  exit 1
fi
"$kvsim" run "$scenario" --quiet --check-invariants --trace "$b" >/dev/null || exit 1
if ! cmp -s "$a" "$b"; then
  echo "golden: two runs of $scenario with the same seed wrote different traces:"
  "$kvsim" diff "$a" "$b"
  exit 1
fi
if ! "$kvsim" diff "$golden" "$a"; then
  echo "golden: $scenario departs from $golden. If the change is intended, run scripts/update-golden-traces and review the diff."
  exit 1
fi
