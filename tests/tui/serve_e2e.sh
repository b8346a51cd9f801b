#!/usr/bin/env bash
# End to end, the TUI serving the API: `kvsim lab start --serve` opens lab 05
# in the TUI and says on its status line how kubectl reaches it; the real
# kubectl then starts nothing but reads the lab's cluster live (the VM is
# Stopped, its VMI absent), the TUI's `:start vm1` shows up in kubectl within
# seconds (sim time paced to wall time), and `q` closes the endpoint.
# Usage: serve_e2e.sh KVSIM_BINARY SOURCE_DIR. Exit 77 (skipped) without kubectl.
set -u
command -v kubectl >/dev/null || { echo "kubectl is not on PATH: skipped"; exit 77; }
source "$(dirname "$0")/tmux_session.sh"
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

start_shell 120 40
prepare_shell "$1" "$2"
tmux_ send-keys -t e2e "clear; \"\$K\" lab start --serve --port 0 --kubeconfig-out $tmp/kc" Enter
told() { [[ $1 == *"kubectl: export KUBECONFIG=$tmp/kc KUBECACHEDIR="* ]]; }
wait_for 30 told || fail "the status line does not say how kubectl reaches the API"
export KUBECONFIG=$tmp/kc KUBECACHEDIR=$tmp/cache
[[ $(kubectl get vm vm1 -o jsonpath='{.status.printableStatus}') == Stopped ]] || fail "kubectl: vm1 is not Stopped"
kubectl get vmi 2>&1 | grep -q "No resources found in default namespace." || fail "kubectl: a VMI exists before the start"

tmux_ send-keys -t e2e ":" && tmux_ send-keys -t e2e -l "start vm1" && tmux_ send-keys -t e2e Enter
for _ in $(seq 60); do
  [[ $(kubectl get vmi vm1 -o jsonpath='{.status.phase}' 2>/dev/null) == Running ]] && break
  sleep 0.5
done
[[ $(kubectl get vmi vm1 -o jsonpath='{.status.phase}') == Running ]] || fail "kubectl never saw vm1's VMI Running"
kubectl get pods -l kubevirt.io=virt-launcher --no-headers | grep -q "virt-launcher-vm1-.* Running" ||
  fail "kubectl: no Running launcher pod"

tmux_ send-keys -t e2e Escape
sleep 0.3
tmux_ send-keys -t e2e q
back() { [[ $1 == *'e2e-shell$'* && $1 != *'LAB '* ]]; }
wait_for 10 back || fail "q did not give the shell back"
kubectl get vm --request-timeout=3s >/dev/null 2>&1 && fail "the API still answers after q"
echo "PASS: lab 05 in the TUI, read live by the real kubectl"
