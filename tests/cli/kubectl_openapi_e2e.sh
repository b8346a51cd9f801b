#!/usr/bin/env bash
# The real kubectl's uses of /openapi against `kvsim shell --serve`:
#  - explain prints kvsim's own descriptions, enums and nested types;
#  - apply under the default --validate=strict finds fieldValidation on the
#    kind's PATCH operation in /openapi/v3 and leaves the checks to kvsim
#    (no /openapi/v2 download), creates, then patches;
#  - a `kind: List` (validated client-side against /openapi/v2) applies too;
#  - a manifest with an unknown field is refused by kvsim, with the field's
#    path, and nothing is created.
# Usage: kubectl_openapi_e2e.sh KVSIM_BINARY. Exit 77 (skipped) without kubectl.
set -u
kvsim=$1
source "$(dirname "$0")/serving_shell.sh"
start_serving "$kvsim" shell default --log-requests
# A fresh cache: kubectl keeps discovery and OpenAPI under ~/.kube/cache otherwise.
k() { kubectl --cache-dir "$tmp/cache" "$@"; }
# The requests kvsim logged since the mark.
mark() { wc -l <"$tmp/err"; }
since() { tail -n +$(($1 + 1)) "$tmp/err"; }

# ---- explain ----
out=$(k explain vm.spec.runStrategy 2>&1) || fail "explain vm.spec.runStrategy: $out"
grep -q "^FIELD: runStrategy <string>" <<<"$out" || fail "no runStrategy field line: $out"
for v in Always RerunOnFailure Manual Halted Once; do
  grep -qx "    $v" <<<"$out" || fail "runStrategy enum lacks $v: $out"
done
grep -q "When the VM should have a running instance. Always:" <<<"$out" || fail "not kvsim's description: $out"
out=$(k explain vmi.spec.domain 2>&1) || fail "explain vmi.spec.domain: $out"
grep -q "^FIELD: domain <DomainSpec>" <<<"$out" || fail "domain type: $out"
grep -qP "^  devices\t<Devices> -required-" <<<"$out" || fail "domain.devices: $out"
grep -qP "^  cpu\t<CPU>" <<<"$out" || fail "domain.cpu: $out"
out=$(k explain vm 2>&1) || fail "explain vm: $out"
grep -q "A virtual machine that persists across restarts" <<<"$out" || fail "kind description: $out"
out=$(k explain vmi.spec.domain.devices.gpus 2>&1) || fail "explain gpus: $out"
grep -q "Not modelled: kvsim does not simulate this feature" <<<"$out" || fail "refused field: $out"
out=$(k explain pods.spec.containers.resources.limits 2>&1) || fail "explain limits: $out"
grep -q "^FIELD: limits <map\[string\]Quantity>" <<<"$out" || fail "limits type: $out"
echo "ok: kubectl explain prints kvsim's descriptions"

# ---- apply, strict validation by default ----
cat >"$tmp/vm.yaml" <<'EOF'
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: vm-openapi
spec:
  runStrategy: Halted
  template:
    spec:
      domain:
        devices: {}
        memory:
          guest: 1Gi
EOF
m=$(mark)
out=$(k apply -f "$tmp/vm.yaml" 2>&1) || fail "apply: $out"
[[ $out == "virtualmachine.kubevirt.io/vm-openapi created" ]] || fail "apply said: $out"
since "$m" | grep -qE "^api: GET /openapi/v3/apis/kubevirt\.io/v1\?hash=[0-9A-F]+(&[^ ]*)? 200 " ||
  fail "apply did not read the kubevirt.io/v1 document"
since "$m" | grep -q "^api: POST /apis/kubevirt.io/v1/namespaces/default/virtualmachines?.*fieldValidation=Strict" ||
  fail "apply did not ask kvsim for strict validation"
since "$m" | grep -q "/openapi/v2" && fail "apply of one VM fell back to /openapi/v2"
sed -i 's/runStrategy: Halted/runStrategy: Manual/' "$tmp/vm.yaml"
out=$(k apply -f "$tmp/vm.yaml" 2>&1) || fail "second apply: $out"
[[ $out == "virtualmachine.kubevirt.io/vm-openapi configured" ]] || fail "second apply said: $out"
[[ $(k get vm vm-openapi -o jsonpath='{.spec.runStrategy}') == Manual ]] || fail "the patch did not land"
echo "ok: kubectl apply validates through /openapi/v3 and patches"

# ---- a List goes through kubectl's client-side check against /openapi/v2 ----
cat >"$tmp/list.yaml" <<'EOF'
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
  data:
    mode: lab
EOF
m=$(mark)
out=$(k apply -f "$tmp/list.yaml" 2>&1) || fail "apply of a List: $out"
[[ $out == "configmap/settings created" ]] || fail "apply of a List said: $out"
since "$m" | grep -qE "^api: GET /openapi/v2(\?[^ ]*)? 200 " || fail "a List was not checked against /openapi/v2"
echo "ok: a kind: List applies"

# ---- an unknown field is refused by kvsim ----
cat >"$tmp/bad.yaml" <<'EOF'
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: vm-bad
spec:
  runStrategyy: Always
  template:
    spec:
      domain:
        devices: {}
EOF
out=$(k apply -f "$tmp/bad.yaml" 2>&1) && fail "an unknown field was accepted: $out"
grep -q 'spec.runStrategyy' <<<"$out" || fail "the refusal does not name the field: $out"
grep -q 'unknown field "runStrategyy" (did you mean "runStrategy"?)' <<<"$out" || fail "not kvsim's message: $out"
grep -qi "failed to download openapi" <<<"$out" && fail "kubectl could not read kvsim's OpenAPI: $out"
k get vm vm-bad >/dev/null 2>&1 && fail "the refused VM was created"
echo "ok: an unknown field is refused with kvsim's message: $out"

echo "quit" >&3
wait "$pid"
pid=
exit 0
