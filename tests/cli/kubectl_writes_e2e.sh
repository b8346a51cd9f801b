#!/usr/bin/env bash
# The real kubectl's writes against `kvsim shell --serve`: apply (client- and
# server-side, with a conflict), patch of the three types, label, annotate,
# scale, edit, rollout undo, cordon, create/replace, delete with a cascade, and
# the refusals a trainee meets (422 with the field, 415 for protobuf).
# The shell's clock is frozen between commands: `shell "advance 20s"` moves it.
# Usage: kubectl_writes_e2e.sh KVSIM_BINARY. Exit 77 (skipped) without kubectl.
set -u
kvsim=$1
source "$(dirname "$0")/serving_shell.sh"
start_serving "$kvsim" shell default
shell "advance 30s"
# kubectl validates apply/create/replace against the server's OpenAPI; where it
# is not served yet, the server's own strict decoding still refuses unknown fields.
validate=()
kubectl get --raw /openapi/v3 >/dev/null 2>&1 || validate=(--validate=false)

# Runs kubectl; fails unless its output (stdout and stderr) contains $1.
expect() {
  local want=$1
  shift
  kubectl "$@" >"$tmp/kubectl.out" 2>&1
  grep -qF -- "$want" "$tmp/kubectl.out" || { cat "$tmp/kubectl.out"; fail "kubectl $* did not say: $want"; }
}
# The value of a jsonpath of an object.
value() { kubectl get "$1" -o jsonpath="$2" 2>&1; }
is() { [[ $(value "$1" "$2") == "$3" ]] || fail "$1 $2 is '$(value "$1" "$2")', not '$3'"; }

cat >"$tmp/web.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        resources: {requests: {cpu: 100m, memory: 64Mi}}
EOF

# Client-side apply: created, unchanged, configured (a strategic merge patch with $setElementOrder).
expect "deployment.apps/web created" apply "${validate[@]}" -f "$tmp/web.yaml"
expect "deployment.apps/web unchanged" apply "${validate[@]}" -f "$tmp/web.yaml"
shell "advance 30s"  # the Deployment controller makes the first ReplicaSet
sed -i 's/nginx:1.27/nginx:1.28/' "$tmp/web.yaml"
expect "deployment.apps/web configured" apply "${validate[@]}" -f "$tmp/web.yaml"
is deploy/web '{.spec.template.spec.containers[0].image}' nginx:1.28
is deploy/web '{.metadata.generation}' 2
shell "advance 30s"
[[ $(kubectl get rs -l app=web -o name | wc -l) == 2 ]] || fail "the image change did not roll out a second ReplicaSet"
echo "ok: kubectl apply creates, leaves unchanged, configures"

# The three patch types on a Deployment.
expect "deployment.apps/web patched" patch deploy web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":3}]'
is deploy/web '{.spec.replicas}' 3
expect "deployment.apps/web patched" patch deploy web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"MODE","value":"demo"}]}]}}}}'
is deploy/web '{.spec.template.spec.containers[0].image}' nginx:1.28   # merged by name, not replaced
is deploy/web '{.spec.template.spec.containers[0].env[0].value}' demo
expect "deployment.apps/web patched" patch deploy web --type=merge -p '{"spec":{"minReadySeconds":1}}'
is deploy/web '{.spec.minReadySeconds}' 1
expect "The request is invalid" patch deploy web --type=json -p '[{"op":"test","path":"/spec/replicas","value":9}]'
echo "ok: kubectl patch --type=json|strategic|merge"

# label, annotate (merge patches), scale (the scale subresource), edit (EDITOR a sed script).
expect "deployment.apps/web labeled" label deploy web tier=front
is deploy/web '{.metadata.labels.tier}' front
expect "deployment.apps/web annotated" annotate deploy web owner=trainee
is deploy/web '{.metadata.annotations.owner}' trainee
expect "deployment.apps/web scaled" scale deploy web --replicas=4
shell "advance 60s"
is deploy/web '{.status.readyReplicas}' 4
printf '#!/bin/sh\nsed -i "s/replicas: 4/replicas: 5/" "$1"\n' >"$tmp/editor.sh"
chmod +x "$tmp/editor.sh"
EDITOR=$tmp/editor.sh expect "deployment.apps/web edited" edit "${validate[@]}" deploy web
is deploy/web '{.spec.replicas}' 5
echo "ok: kubectl label, annotate, scale, edit"

# rollout undo goes back to the previous template (a JSON patch of the Deployment):
# revision 2 (nginx:1.28, before the env patch made revision 3).
expect "deployment.apps/web rolled back" rollout undo deployment/web
is deploy/web '{.spec.template.spec.containers[0].env}' ''
is deploy/web '{.spec.template.spec.containers[0].image}' nginx:1.28
# cordon: a strategic merge patch of a Node.
expect "node/worker-3 cordoned" cordon worker-3
is node/worker-3 '{.spec.unschedulable}' true
echo "ok: kubectl rollout undo, cordon"

# Server-side apply: replicas is kubectl-edit's now (5, the file says 2): a conflict, then forced.
expect 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas' \
  apply --server-side "${validate[@]}" -f "$tmp/web.yaml"
is deploy/web '{.spec.replicas}' 5
expect "deployment.apps/web serverside-applied" apply --server-side --force-conflicts "${validate[@]}" -f "$tmp/web.yaml"
is deploy/web '{.spec.replicas}' 2
kubectl get deploy web -o yaml --show-managed-fields >"$tmp/mf.yaml"
grep -q "manager: kubectl$" "$tmp/mf.yaml" && grep -q "operation: Apply" "$tmp/mf.yaml" ||
  { cat "$tmp/mf.yaml"; fail "no Apply entry for kubectl in managedFields"; }
kubectl get deploy web -o yaml | grep -q managedFields && fail "kubectl shows managedFields without --show-managed-fields"
echo "ok: kubectl apply --server-side conflicts, then takes ownership with --force-conflicts"

# A VM: merge patch starts it; a strategic merge patch is refused as upstream refuses it for a CRD.
cat >"$tmp/vm2.yaml" <<'EOF'
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm2}
spec:
  runStrategy: Halted
  template:
    spec:
      domain:
        devices:
          disks: [{name: rootdisk, disk: {bus: virtio}}]
        resources: {requests: {memory: 128Mi}}
      volumes: [{name: rootdisk, containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}}]
EOF
expect "virtualmachine.kubevirt.io/vm2 created" apply "${validate[@]}" -f "$tmp/vm2.yaml"
expect "accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml" \
  patch vm vm2 -p '{"spec":{"runStrategy":"Always"}}'
expect "virtualmachine.kubevirt.io/vm2 patched" patch vm vm2 --type=merge -p '{"spec":{"runStrategy":"Always"}}'
shell "advance 60s"
is vmi/vm2 '{.status.phase}' Running
echo "ok: a VM patched through the API starts"

# kubectl drain evicts (pods/eviction, a protobuf body): the VMI's launcher pod is
# refused by the disruption budget and the VMI live-migrates off the node.
node=$(value vmi/vm1 '{.status.nodeName}')
kubectl drain "$node" --ignore-daemonsets --delete-emptydir-data --timeout=120s >"$tmp/drain" 2>&1 &
drain=$!
for _ in $(seq 40); do
  kill -0 "$drain" 2>/dev/null || break
  shell "advance 10s"
  sleep 1
done
wait "$drain" || { cat "$tmp/drain"; fail "kubectl drain $node failed"; }
grep -q "node/$node drained" "$tmp/drain" || { cat "$tmp/drain"; fail "no 'drained'"; }
[[ $(value vmi/vm1 '{.status.nodeName}') != "$node" ]] || fail "vm1 is still on $node"
[[ $(kubectl get vmim -o jsonpath='{.items[*].status.phase}') == *Succeeded* ]] || fail "no migration succeeded"
expect "node/$node uncordoned" uncordon "$node"
echo "ok: kubectl drain live-migrates the VMI"

# Refusals: validation (422 with the field), the strict decoder, protobuf (415).
sed 's/name: vm2/name: bad/; s/runStrategy: Halted/runStrategy: Sometimes/' "$tmp/vm2.yaml" >"$tmp/bad.yaml"
expect 'The VirtualMachine "bad" is invalid: spec.runStrategy: Unsupported value: "Sometimes"' apply "${validate[@]}" -f "$tmp/bad.yaml"
sed 's/name: vm2/name: typo/; s/runStrategy: Halted/runStrategyy: Halted/' "$tmp/vm2.yaml" >"$tmp/typo.yaml"
expect 'unknown field "runStrategyy"' create "${validate[@]}" -f "$tmp/typo.yaml"
expect "failed to create deployment: kvsim's API server reads JSON and YAML, and protobuf only for Secrets and ConfigMaps" create deployment x --image=nginx
grep -qF "kubectl apply -f" "$tmp/kubectl.out" || fail "the 415 does not say what to use instead"
kubectl get vm bad typo 2>&1 | grep -q "NotFound" || fail "a refused create stored something"
echo "ok: refusals as Status: 422 Invalid with the field, 415 for protobuf"

# Secrets and ConfigMaps: kubectl create secret|configmap (protobuf bodies),
# get's columns, describe (a Secret's sizes only), stringData merged into data.
expect "secret/db-creds created" create secret generic db-creds --from-literal=username=admin --from-literal=password=s3cr3t
kubectl get secrets >"$tmp/secrets.out" 2>&1
grep -qE '^NAME +TYPE +DATA +AGE$' "$tmp/secrets.out" || { cat "$tmp/secrets.out"; fail "get secrets: no NAME TYPE DATA AGE"; }
grep -qE '^db-creds +Opaque +2 +' "$tmp/secrets.out" || { cat "$tmp/secrets.out"; fail "get secrets: no db-creds row"; }
is secret/db-creds '{.data.username}' YWRtaW4=
kubectl describe secret db-creds >"$tmp/describe.out" 2>&1
grep -qE '^password: +6 bytes$' "$tmp/describe.out" || { cat "$tmp/describe.out"; fail "describe secret: no size"; }
! grep -q s3cr3t "$tmp/describe.out" || fail "describe secret printed a value"
printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: ssh-key}\ntype: kubernetes.io/ssh-auth\nstringData: {ssh-privatekey: abc}\n' >"$tmp/sk.yaml"
expect "secret/ssh-key created" apply "${validate[@]}" -f "$tmp/sk.yaml"
is secret/ssh-key '{.data.ssh-privatekey}' YWJj
is secret/ssh-key '{.type}' kubernetes.io/ssh-auth
expect "configmap/app-config created" create configmap app-config --from-literal=mode=fast
kubectl get configmaps app-config >"$tmp/cms.out" 2>&1
grep -qE '^app-config +1 +' "$tmp/cms.out" || { cat "$tmp/cms.out"; fail "get configmaps: no app-config row"; }
kubectl describe configmap app-config >"$tmp/describe.out" 2>&1
grep -qzF $'mode:\n----\nfast\n' "$tmp/describe.out" || { cat "$tmp/describe.out"; fail "describe configmap: no value"; }
expect 'secret "db-creds" deleted' delete secret db-creds
kubectl get secret db-creds 2>&1 | grep -q NotFound || fail "a deleted Secret is still there"
echo "ok: kubectl create/get/describe/delete of Secrets and ConfigMaps"

# create and replace, create --raw (no Content-Type), delete with a cascade.
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm1}\ndata: {a: "1"}\n' >"$tmp/cm.yaml"
expect "configmap/cm1 created" create "${validate[@]}" -f "$tmp/cm.yaml"
sed -i 's/"1"/"2"/' "$tmp/cm.yaml"
expect "configmap/cm1 replaced" replace "${validate[@]}" -f "$tmp/cm.yaml"
is cm/cm1 '{.data.a}' 2
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm2}\ndata: {b: "3"}\n' >"$tmp/cm2.yaml"
kubectl create --raw /api/v1/namespaces/default/configmaps -f "$tmp/cm2.yaml" >/dev/null 2>&1 || fail "create --raw"
is cm/cm2 '{.data.b}' 3
sets=$(kubectl get rs -l app=web -o name | wc -l)
expect 'deployment.apps "web" deleted' delete deploy web --cascade=orphan --wait=false
[[ $(kubectl get rs -l app=web -o name | wc -l) == "$sets" ]] || fail "orphaned ReplicaSets should stay"
[[ -z $(value rs '{.items[*].metadata.ownerReferences}') ]] || fail "orphaned ReplicaSets keep an owner"
expect "deleted" delete rs -l app=web --cascade=foreground --wait=false
shell "advance 30s"
[[ -z $(kubectl get rs,pods -l app=web -o name) ]] || fail "foreground deletion left $(kubectl get rs,pods -l app=web -o name)"
echo "ok: create, replace, create --raw, delete --cascade=orphan|foreground"

echo "quit" >&3
wait "$pid"
pid=
exit 0
