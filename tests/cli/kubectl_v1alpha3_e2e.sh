#!/usr/bin/env bash
# The real kubectl with kubevirt.io/v1alpha3 (issue 19 item 6), as against
# KubeVirt v1.5.0, whose VM/VMI/VMIRS/VMIM CRDs serve v1 (stored, preferred)
# and v1alpha3 (deprecated, same schema):
#  - `kubectl apply` of a v1alpha3 VM prints upstream's deprecation warning
#    once, creates it under strict server-side validation, and the VM runs;
#  - `kubectl get vm` reads the preferred version, v1; `get
#    virtualmachines.v1alpha3.kubevirt.io` reads v1alpha3, with the warning;
#  - applied again, it is unchanged; server-side apply in v1alpha3 works too;
#  - `kubectl apply` of a kubevirt.io/v2 VM is refused by kubectl itself: no
#    such version in discovery.
# Usage: kubectl_v1alpha3_e2e.sh KVSIM_BINARY. Exit 77 (skipped) without kubectl.
set -u
kvsim=$1
source "$(dirname "$0")/serving_shell.sh"
start_serving "$kvsim" shell default --log-requests
k() { kubectl --cache-dir "$tmp/cache" "$@"; }
mark() { wc -l <"$tmp/err"; }
since() { tail -n +$(($1 + 1)) "$tmp/err"; }
warning="Warning: kubevirt.io/v1alpha3 is now deprecated and will be removed in a future release."

vm_yaml() {  # NAME APIVERSION
  cat <<EOF
apiVersion: $2
kind: VirtualMachine
metadata:
  name: $1
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices:
          disks: [{name: rootdisk, disk: {bus: virtio}}]
        resources: {requests: {memory: 128Mi}}
      volumes:
      - {name: rootdisk, containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}}
EOF
}

# ---- discovery ----
out=$(k api-versions 2>&1) || fail "api-versions: $out"
grep -qx "kubevirt.io/v1" <<<"$out" && grep -qx "kubevirt.io/v1alpha3" <<<"$out" || fail "api-versions: $out"
echo "ok: discovery lists kubevirt.io/v1 and v1alpha3"

# ---- client-side apply in v1alpha3 ----
vm_yaml old kubevirt.io/v1alpha3 >"$tmp/old.yaml"
m=$(mark)
k apply -f "$tmp/old.yaml" >"$tmp/stdout" 2>"$tmp/stderr" || fail "apply v1alpha3: $(cat "$tmp/stdout" "$tmp/stderr")"
[[ $(cat "$tmp/stdout") == "virtualmachine.kubevirt.io/old created" ]] || fail "apply said: $(cat "$tmp/stdout")"
[[ $(cat "$tmp/stderr") == "$warning" ]] || fail "apply's stderr is not the warning once: $(cat "$tmp/stderr")"
since "$m" | grep -q "^api: POST /apis/kubevirt.io/v1alpha3/namespaces/default/virtualmachines?.*fieldValidation=Strict" ||
  fail "apply did not create through v1alpha3 with strict validation: $(since "$m")"
echo "ok: apply of a v1alpha3 VM warns once and creates it"

out=$(k get vm old -o jsonpath='{.apiVersion}' 2>&1) || fail "get vm: $out"
[[ $out == "kubevirt.io/v1" ]] || fail "get vm reads $out, not the preferred v1"
k get virtualmachines.v1alpha3.kubevirt.io old -o jsonpath='{.apiVersion}' >"$tmp/stdout" 2>"$tmp/stderr" ||
  fail "get in v1alpha3: $(cat "$tmp/stderr")"
[[ $(cat "$tmp/stdout") == "kubevirt.io/v1alpha3" ]] || fail "get in v1alpha3 reads $(cat "$tmp/stdout")"
[[ $(cat "$tmp/stderr") == "$warning" ]] || fail "get in v1alpha3 did not warn: $(cat "$tmp/stderr")"
echo "ok: get reads v1 by default and v1alpha3 when named"

# The VMI comes up as for a v1 VM.
shell "advance 90s"
out=$(k get vmi old -o jsonpath='{.status.phase}' 2>&1) || fail "get vmi: $out"
[[ $out == "Running" ]] || fail "the v1alpha3 VM's VMI is $out"
echo "ok: the v1alpha3 VM's VMI runs"

out=$(k apply -f "$tmp/old.yaml" 2>&1) || fail "apply again: $out"
[[ $out == "$warning"$'\n'"virtualmachine.kubevirt.io/old unchanged" ]] || fail "apply again said: $out"
echo "ok: applied again, unchanged"

# ---- server-side apply in v1alpha3 ----
vm_yaml ssa kubevirt.io/v1alpha3 >"$tmp/ssa.yaml"
out=$(k apply --server-side -f "$tmp/ssa.yaml" 2>&1) || fail "server-side apply: $out"
[[ $out == "$warning"$'\n'"virtualmachine.kubevirt.io/ssa serverside-applied" ]] || fail "server-side apply said: $out"
out=$(k get vm ssa --show-managed-fields -o jsonpath='{.metadata.managedFields[?(@.manager=="kubectl")].apiVersion}' 2>&1) ||
  fail "managedFields: $out"
[[ $out == "kubevirt.io/v1alpha3" ]] || fail "the apply's managedFields entry names $out"
echo "ok: server-side apply in v1alpha3"

# ---- a version not served ----
vm_yaml new kubevirt.io/v2 >"$tmp/v2.yaml"
out=$(k apply -f "$tmp/v2.yaml" 2>&1) && fail "apply of kubevirt.io/v2 passed: $out"
grep -q 'no matches for kind "VirtualMachine" in version "kubevirt.io/v2"' <<<"$out" || fail "v2 refused with: $out"
out=$(k get vm new 2>&1) && fail "a v2 VM was created: $out"
echo "ok: kubevirt.io/v2 is refused"
