#!/usr/bin/env bash
# End to end, where the lab goes on the screen. At 120x40 lab 01 opens on the
# pod list (the view its first step needs) with the lab panel beside it: the
# step, its live checks, the table and the timeline all at once; `l` hides the
# panel and shows it again. At 80x24 lab 05 opens with the lab over the view;
# esc closes it, and when `:start vm1` turns its checks to [x] the message line
# says so; a long error opens whole in a panel, and describe scrolls sideways.
# Usage: lab_layout_e2e.sh KVSIM_BINARY SOURCE_DIR
set -u
source "$(dirname "$0")/tmux_session.sh"

start_shell 120 40
prepare_shell "$1" "$2"
tmux_ send-keys -t e2e "clear; \"\$K\" lab start 01" Enter
together() {
  [[ $1 == *'LAB Workload controllers'* && $1 == *'Step 1/2: Scale the Deployment to four replicas'* &&
     $1 == *'CHECKS'* && $1 == *'[ ] '* && $1 == *'pods(default)[2]'* && $1 == *'web-'*'Running'* &&
     $1 == *'TIMELINE'* && $1 == *'Time runs by itself in the TUI'* ]]
}
wait_for 30 together || fail "at 120x40 the step, its checks, the pod table and the timeline are not all on screen"
tmux_ send-keys -t e2e l
hidden() { [[ $1 != *'CHECKS'* && $1 == *'pods(default)[2]'* ]]; }
wait_for 10 hidden || fail "l did not hide the lab panel"
tmux_ send-keys -t e2e l
wait_for 10 together || fail "l did not show the lab panel again"
tmux_ send-keys -t e2e q
back() { [[ $1 == *'e2e-shell$'* ]]; }
wait_for 10 back || fail "q did not give the shell back"
cleanup
socket="$socket-small"  # a server of its own: a new one on a socket being torn down may not start

start_shell 80 24
prepare_shell "$1" "$2"
tmux_ send-keys -t e2e "clear; \"\$K\" lab start 05" Enter
over() { [[ $1 == *'LAB VM vs VMI'* && $1 == *'CHECKS'* ]]; }
wait_for 30 over || fail "at 80x24 the lab did not open over the view"
tmux_ send-keys -t e2e Escape
closed() { [[ $1 != *'CHECKS'* && $1 == *'virtualmachines(default)[1]'* ]]; }
wait_for 10 closed || fail "esc did not close the lab over the VM list"
tmux_ send-keys -t e2e ":" && tmux_ send-keys -t e2e -l "start vm1" && tmux_ send-keys -t e2e Enter
announced() { [[ $(tail -n 1 <<<"$1") == '[x] '* ]]; }
wait_for 60 announced || fail "no check turning [x] was announced on the message line"
all_pass() { [[ $(tail -n 1 <<<"$1") == '[x] '*'every check of step 1 passes, `:lab grade` moves on'* ]]; }
wait_for 60 all_pass || fail "the message line did not say that every check of step 1 passes"
tmux_ send-keys -t e2e l
wait_for 10 over || fail "l did not open the lab at 80x24"
tmux_ send-keys -t e2e Escape
sleep 0.3
# A message too wide for the last line opens whole, wrapped, in a panel; the line points there.
tmux_ send-keys -t e2e ":" && tmux_ send-keys -t e2e -l "port-forward vmi/no-such-vmi-with-a-long-name 3306:3306" &&
  tmux_ send-keys -t e2e Enter
whole() {
  [[ $1 == *' OUTPUT '* && $1 == *'(NotFound): virtualmachineinstances.kubevirt.io'* &&
     $1 == *'"no-such-vmi-with-a-long-name" not found'* &&
     $(tail -n 1 <<<"$1") == *'... (whole above)'* ]]
}
wait_for 10 whole || fail "a long error was not opened whole in a panel"
tmux_ send-keys -t e2e Escape
sleep 0.3
# Describe scrolls sideways: its title says so, and -> moves it 20 columns.
tmux_ send-keys -t e2e Enter
sideways() { [[ $1 == *' DESCRIBE VirtualMachine default/vm1 (esc closes, j/k, <- -> scroll)'* ]]; }
wait_for 10 sideways || fail "describe does not offer to scroll sideways"
tmux_ send-keys -t e2e Right
moved() { [[ $1 == *' DESCRIBE VirtualMachine default/vm1  col 21 (esc closes, j/k, <- -> scroll)'* ]]; }
wait_for 10 moved || fail "-> did not scroll describe sideways"
tmux_ send-keys -t e2e Escape
sleep 0.3
tmux_ send-keys -t e2e q
wait_for 10 back || fail "q did not give the shell back"
echo "PASS: the lab beside the view at 120x40, over it at 80x24 with checks announced"
