#!/usr/bin/env bash
# Every real manifest of ../shared/fixtures through the real kubectl against
# `kvsim shell --serve`: what `kvsim validate` accepts, `kubectl apply -f`
# creates; what it refuses, the API refuses too (422 with kvsim's own reason),
# or, for a kind kvsim does not model, kubectl finds no such kind in discovery.
# Usage: kubectl_fixtures_e2e.sh KVSIM_BINARY FIXTURES_DIR. Exit 77 (skipped) without kubectl.
set -u
kvsim=$1
fixtures=$2
source "$(dirname "$0")/serving_shell.sh"
start_serving "$kvsim" shell default

accepted=0 refused=0 later=()
while IFS= read -r f; do
  if "$kvsim" validate "$f" >"$tmp/validate" 2>&1; then
    # A few depend on another fixture's object (a migration needs its VMI), as on a real
    # cluster: webhooks read the cluster. They get a second pass once everything else is in.
    if ! kubectl apply -f "$f" >"$tmp/apply" 2>&1; then later+=("$f"); continue; fi
    grep -qE ' (created|configured|unchanged)$' "$tmp/apply" || fail "kubectl apply -f $f: $(cat "$tmp/apply")"
    accepted=$((accepted + 1))
  else
    if kubectl apply -f "$f" >"$tmp/apply" 2>&1; then fail "kvsim validate refuses $f, kubectl apply -f creates it: $(cat "$tmp/apply")"; fi
    # kvsim's reason: the message of its first problem, after "file:line:col: path: ".
    reason=$(grep -m1 -oE '(not modelled|not served|unknown field|Unsupported value|Required value|Invalid value)[^(]*' "$tmp/validate" | head -c 60)
    [[ -n $reason ]] || fail "kvsim validate $f gave no recognisable reason: $(cat "$tmp/validate")"
    # A kind kvsim does not model is absent from discovery: kubectl itself says it has no such kind.
    if [[ $reason =~ ^not\ modelled\ yet:\ kind\ ([A-Za-z]+) ]]; then reason="no matches for kind \"${BASH_REMATCH[1]}\""; fi
    grep -qF -- "$reason" "$tmp/apply" || fail "kubectl apply -f $f does not say kvsim's reason \"$reason\": $(cat "$tmp/apply")"
    refused=$((refused + 1))
  fi
done < <(find "$fixtures" -name '*.yaml' -o -name '*.yml' | sort)
gated=0 conflicting=0
for f in "${later[@]}"; do
  if ! kubectl apply -f "$f" >"$tmp/apply" 2>&1; then
    # The manifest is valid, and this cluster's KubeVirt has the feature off (as a default
    # install does): refused by the cluster's configuration, saying which gate.
    # Or: virt-api's instance type webhook refuses a VM that sets what its instance type sets
    # (some upstream examples give domain.memory beside an instance type), as KubeVirt v1.5 does.
    if grep -qE '^The request is invalid: .*conflicts with selected instance type' "$tmp/apply"; then
      conflicting=$((conflicting + 1))
      continue
    fi
    grep -qE '^The request is invalid: .*feature gate is not enabled' "$tmp/apply" ||
      fail "kvsim validate accepts $f, kubectl apply -f does not: $(cat "$tmp/apply")"
    gated=$((gated + 1))
    continue
  fi
  accepted=$((accepted + 1))
done
echo "fixtures: $accepted applied (${#later[@]} tried again once the objects they need were in), $gated refused for a feature gate that is off, $conflicting refused for fields their instance type sets, $refused refused with kvsim's reason"
((accepted > 0 && refused > 0)) || fail "expected both accepted and refused fixtures"
echo quit >&3
