#!/usr/bin/env bash
# The real kubectl against `kvsim shell --serve`: the shell's clock is frozen
# between commands, so what kubectl prints can be compared with what a second,
# identical kvsim prints with its own `get` at the same sim time.
# Usage: kubectl_e2e.sh KVSIM_BINARY. Exit 77 (skipped) without kubectl.
set -u
kvsim=$1
source "$(dirname "$0")/serving_shell.sh"
start_serving "$kvsim" shell default
shell "advance 30s"

# What kvsim's own get prints at 30 s, from a second kvsim with the same inputs.
# (kubectl pads an empty last cell with spaces; kvsim's printer trims them.)
expected() { printf 'advance 30s\n%s\n' "$1" | "$kvsim" shell default | tail -n +2; }
for args in "get nodes" "get nodes -o wide" "get pods -A -o wide" "get vm" "get vmi -o wide" "get pods -n openshift-cnv" \
            "get vmcf" "get vmcps" "get controllerrevisions" \
            "get datasources -n openshift-virtualization-os-images" "get dic -n openshift-virtualization-os-images" \
            "get templates -n openshift"; do
  diff <(expected "$args") <(kubectl $args 2>&1 | sed 's/ *$//') >"$tmp/diff" || { cat "$tmp/diff"; fail "kubectl $args differs from kvsim's $args"; }
done
echo "ok: kubectl get prints kvsim's rows"

# describe of a CRD: kubectl's generic describer, over the JSON kvsim serves, prints what
# kvsim's describe prints. The Events' ages differ (kubectl counts from the wall clock),
# so the texts are compared up to the Events.
before_events() { sed '/^Events:/,$d'; }
# (A blank line inside a multi-line annotation, as common-instancetypes' descriptions have,
# keeps kubectl's tabwriter padding; kvsim's tabwriter trims it, so trailing spaces are dropped.)
for args in "describe vm vm1" "describe vmi vm1" "describe vmcf u1.medium"; do
  diff <(expected "$args" | before_events) <(kubectl $args 2>&1 | before_events | sed 's/ *$//') >"$tmp/diff" ||
    { cat "$tmp/diff"; fail "kubectl $args differs from kvsim's $args"; }
done
echo "ok: kubectl describe vm/vmi prints kvsim's describe"

# Discovery: short names, categories, a refused kind absent.
kubectl api-resources | grep -qE '^virtualmachineclusterinstancetypes +vmclusterinstancetype,vmclusterinstancetypes,vmcf,vmcfs +instancetype.kubevirt.io/v1beta1 +false +VirtualMachineClusterInstancetype' ||
  fail "api-resources lacks vmcf: $(kubectl api-resources 2>&1 | grep -i instancetype)"
kubectl api-resources | grep -qE '^virtualmachineinstances +vmi,vmis +kubevirt.io/v1 +true +VirtualMachineInstance' ||
  fail "api-resources lacks vmi: $(kubectl api-resources 2>&1 | grep -i virtualmachineinstance)"
kubectl get all 2>&1 | grep -q "virtualmachine.kubevirt.io/vm1" || fail "get all: $(kubectl get all 2>&1)"
kubectl get vmpool 2>&1 | grep -q "the server doesn't have a resource type" || fail "vmpool should be unknown to kubectl"

# jsonpath and selectors work client- and server-side.
[[ $(kubectl get vmi vm1 -o jsonpath='{.status.phase}') == Running ]] || fail "jsonpath phase"
[[ $(kubectl get pods -A --field-selector spec.nodeName=worker-1,status.phase=Running -o name | wc -l) -ge 1 ]] ||
  fail "field selector"
kubectl get pods --field-selector spec.bogus=1 2>&1 | grep -q "field label not supported: spec.bogus" || fail "bogus field selector"

# A watch sees the VMI deleted and a new one (new UID) Running.
uid=$(kubectl get vmi vm1 -o jsonpath='{.metadata.uid}')
kubectl get vmi -w --output-watch-events -o custom-columns=EVENT:.type,NAME:.object.metadata.name,PHASE:.object.status.phase,UID:.object.metadata.uid \
  >"$tmp/watch" 2>&1 &
watcher=$!
sleep 2
shell "delete vmi vm1"
shell "advance 40s"
sleep 2
kill "$watcher" 2>/dev/null
grep -q "DELETED .*vm1 .*$uid" "$tmp/watch" || { cat "$tmp/watch"; fail "the watch did not show vm1 deleted"; }
grep -E "(ADDED|MODIFIED) +vm1 +Running" "$tmp/watch" | grep -vq "$uid" || { cat "$tmp/watch"; fail "no new vm1 Running"; }
echo "ok: get -w shows the VMI deleted and back"

# kubectl wait on a condition, and on a jsonpath.
kubectl wait --for=condition=Ready vmi/vm1 --timeout=10s >/dev/null || fail "wait Ready"
kubectl wait --for=jsonpath='{.status.phase}'=Running vmi/vm1 --timeout=10s >/dev/null || fail "wait jsonpath"

# Access: no token or a wrong one is 401; the server answers on 127.0.0.1 only.
server=$(kubectl config view -o jsonpath='{.clusters[0].cluster.server}')
code=$(curl -sk -o "$tmp/body" -w '%{http_code}' "$server/api/v1/pods")
[[ $code == 401 ]] && grep -q '"reason":"Unauthorized"' "$tmp/body" || fail "no token gave $code"
code=$(curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer wrong" "$server/api/v1/pods")
[[ $code == 401 ]] || fail "a wrong token gave $code"
port=${server##*:}
ip=$(hostname -I 2>/dev/null | awk '{print $1}')
if [[ -n $ip && $ip != 127.* ]]; then
  curl -sk --max-time 3 "https://$ip:$port/version" >/dev/null 2>&1 && fail "the API answered on $ip"
fi
# Plain http is not served.
curl -s --max-time 3 "http://127.0.0.1:$port/version" | grep -q major && fail "the API answered over plain http"
# An oversize body is 413.
token=$(kubectl config view --raw -o jsonpath='{.users[0].user.token}')
head -c 4000000 /dev/zero | tr '\0' 'a' >"$tmp/big"
code=$(curl -sk -o "$tmp/body" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data-binary @"$tmp/big" "$server/api/v1/namespaces/default/pods")
[[ $code == 413 ]] || fail "a 4 MB body gave $code"
echo "ok: 401 without the token, 413 past the body limit, loopback and TLS only"
echo "quit" >&3
wait "$pid"
pid=
exit 0
