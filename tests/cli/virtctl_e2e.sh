#!/usr/bin/env bash
# kvsim's virtctl against kvsim's API endpoint, as build/virtctl and as kubectl's
# plugin (`kubectl virt`, build/kubectl-virt on PATH), and `kvsim lab check`
# grading through the same endpoint. The lab runs as `kvsim lab start 05 --no-tui
# --serve`: its clock stays frozen between shell commands, so `advance` decides
# when the cluster acts on what the clients asked.
# Usage: virtctl_e2e.sh KVSIM_BINARY. Exit 77 (skipped) without kubectl.
set -u
kvsim=$1
bindir=$(cd "$(dirname "$kvsim")" && pwd)
source "$(dirname "$0")/serving_shell.sh"
start_serving "$kvsim" lab start 05 --no-tui
export XDG_STATE_HOME=$tmp/state
export PATH="$bindir:$PATH"

# expect RC STDOUT STDERR -- COMMAND...: runs it and compares.
expect() {
  local rc=$1 out=$2 err=$3
  shift 4
  "$@" >"$tmp/o" 2>"$tmp/e"
  local got=$?
  [[ $got == "$rc" ]] || fail "$* exited $got, not $rc: $(cat "$tmp/o" "$tmp/e")"
  [[ $(cat "$tmp/o") == "$out" ]] || fail "$* printed '$(cat "$tmp/o")', not '$out'"
  [[ $(cat "$tmp/e") == "$err" ]] || fail "$* said '$(cat "$tmp/e")' on stderr, not '$err'"
}

# The lab's first step, untouched: lab check fails it (exit 1) and says why.
"$kvsim" lab check 05 >"$tmp/check" 2>&1
[[ $? == 1 ]] || fail "lab check passed an untouched step: $(cat "$tmp/check")"
grep -q 'FAIL  the VM reports Running: expected VM vm1 status.printableStatus to be "Running"; it is "Stopped"' "$tmp/check" ||
  fail "lab check: $(cat "$tmp/check")"

conflict='Operation cannot be fulfilled on virtualmachine.kubevirt.io "vm1"'
expect 0 "VM vm1 was scheduled to start" "" -- kubectl virt start vm1
expect 1 "" "Error starting VirtualMachine $conflict: Always does not support manual start requests" -- kubectl virt start vm1
shell "advance 60s"
"$kvsim" lab check 05 >"$tmp/check" 2>&1 || fail "lab check failed a solved step: $(cat "$tmp/check")"
grep -q "4 passed, 0 failed" "$tmp/check" && grep -q "Next: Step 2/3: Delete the VMI and watch it return" "$tmp/check" ||
  fail "lab check: $(cat "$tmp/check")"
# The next step has just begun: untouched, it fails.
"$kvsim" lab check 05 >"$tmp/check" 2>&1
[[ $? == 1 ]] && grep -q "FAIL  the VMI is re-created with a new UID" "$tmp/check" || fail "step 2 untouched: $(cat "$tmp/check")"
grep -q "FAIL  the new VMI is Running within 60 s of your delete: your delete of VMI vm1 has not happened yet" "$tmp/check" ||
  fail "step 2's deadline does not wait for the delete: $(cat "$tmp/check")"
# --retry-step begins step 2 again; --skip records it skipped and moves to step 3.
"$kvsim" lab check 05 --retry-step >"$tmp/check" 2>&1 && grep -q "Step 2/3 begins again" "$tmp/check" ||
  fail "lab check --retry-step: $(cat "$tmp/check")"
"$kvsim" lab check 05 --skip >"$tmp/check" 2>&1 && grep -q "Step 2/3 skipped: it is graded as skipped, not passed." "$tmp/check" &&
  grep -q "Next: Step 3/3: Stop the VM" "$tmp/check" || fail "lab check --skip: $(cat "$tmp/check")"
"$kvsim" lab check 05 --restart >/dev/null 2>&1 || fail "lab check --restart did not grade step 1 (solved) again"
echo "ok: lab check fails an untouched step, passes a solved one, then grades the next; --retry-step and --skip"

# migrate creates a migration object that moves the VMI.
node=$(kubectl get vmi vm1 -o jsonpath='{.status.nodeName}')
expect 0 "VM vm1 was scheduled to migrate" "" -- virtctl migrate vm1
kubectl get vmim -o name | grep -q "virtualmachineinstancemigration.kubevirt.io/kubevirt-migrate-vm-" ||
  fail "no migration object: $(kubectl get vmim 2>&1)"
shell "advance 60s"
[[ $(kubectl get vmi vm1 -o jsonpath='{.status.nodeName}') != "$node" ]] || fail "vm1 is still on $node after migrate"
expect 0 "VM vm1 was scheduled to restart" "" -- kubectl virt restart vm1
shell "advance 60s"
# stop: --grace-period needs --force (refused before any request), then the 409 once stopped.
expect 1 "" "Must both use --force=true and set --grace-period." -- virtctl stop vm1 --grace-period=0
expect 0 "VM vm1 was scheduled to stop" "" -- virtctl stop vm1 --grace-period=0 --force
shell "advance 30s"
expect 1 "" "error stopping VirtualMachine $conflict: VM is not running" -- virtctl stop vm1
expect 1 "" "error restarting VirtualMachine: $conflict: RunStategy Halted does not support manual restart requests" -- \
  kubectl virt restart vm1
expect 1 "" 'Error starting VirtualMachine virtualmachine.kubevirt.io "nope" not found' -- virtctl start nope
echo "ok: start, stop, restart, migrate and their refusals"

# The serial console of a CirrOS VM: virtctl waits while it is not running yet, then
# logs in and runs a command sent through a pipe.
cat >"$tmp/cirros.yaml" <<'YAML'
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: cirros, namespace: default}
spec:
  runStrategy: Always
  template:
    spec:
      domain:
        devices:
          disks:
          - name: rootdisk
            disk: {bus: virtio}
        resources: {requests: {memory: 128Mi}}
      volumes:
      - name: rootdisk
        containerDisk: {image: quay.io/kubevirt/cirros-container-disk-demo}
YAML
shell "apply -f $tmp/cirros.yaml"
shell "advance 2s"  # the VMI exists, not yet running
[[ $(kubectl get vmi cirros -o jsonpath='{.status.phase}') != Running ]] || fail "the cirros VMI already runs"
printf 'cirros\ngocubsgo\nhostname\nuname -r\n' | virtctl console cirros --timeout 1 >"$tmp/console" 2>"$tmp/console.err" &
console=$!
sleep 3  # virtctl console is retrying: the VMI is not running yet
shell "advance 60s"
wait "$console" || fail "virtctl console: $(cat "$tmp/console.err")"
grep -q "Successfully connected to cirros console. The escape sequence is ^]" "$tmp/console.err" ||
  fail "console stderr: $(cat "$tmp/console.err")"
grep -q $'hostname\r\ncirros\r\n\\$ uname -r\r\n5.3.0-26-generic\r\n' "$tmp/console" ||
  fail "console answer: $(od -c "$tmp/console" | head -20)"
grep -q gocubsgo "$tmp/console" && fail "the console echoed the password"
echo "ok: virtctl console retries until the VMI runs, then answers a command over the WebSocket"

expect 1 "" "Can't access VMI cirros: kvsim's simulated guest draws no framebuffer, so VMI cirros has no VNC server to stream (hybrid mode, with a libvirt backend, streams the real one). In a cluster the frames would come virt-api -> virt-handler on $(kubectl get vmi cirros -o jsonpath='{.status.nodeName}') -> virt-launcher pod $(kubectl get pods -l vm.kubevirt.io/name=cirros -o jsonpath='{.items[0].metadata.name}') (unix socket virt-vnc) -> QEMU's VNC server of domain default_cirros" -- \
  virtctl vnc cirros --proxy-only
virtctl guestosinfo cirros >"$tmp/o" 2>"$tmp/e" && fail "guestosinfo without an agent succeeded"
grep -q 'Error getting guestosinfo of VirtualMachineInstance cirros, an error on the server ("Operation cannot be fulfilled on virtualmachineinstance.kubevirt.io \\"cirros\\": VMI does not have guest agent connected") has prevented the request from succeeding (get virtualmachineinstances.subresources.kubevirt.io cirros)' "$tmp/e" ||
  fail "guestosinfo: $(cat "$tmp/e")"
echo "ok: vnc refused on a simulated guest, guestosinfo without an agent"
echo "quit" >&3
wait "$pid"
pid=
exit 0
