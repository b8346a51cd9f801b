#!/usr/bin/env bash
# End to end, a lab in the TUI: `kvsim lab start` opens lab 05 with its panel
# beside the VM list (step 1, instructions, live checks failing); `:start vm1` from the prompt
# turns the checks to [x] as the VM comes up; `:lab grade` passes step 1 and
# moves on to step 2; a wide table stays whole in the output panel; `q` gives the shell back.
# Usage: lab_e2e.sh KVSIM_BINARY SOURCE_DIR
set -u
source "$(dirname "$0")/tmux_session.sh"

start_shell 120 40
prepare_shell "$1" "$2"
tmux_ send-keys -t e2e "clear; \"\$K\" lab start" Enter
panel() { [[ $1 == *'LAB VM vs VMI: delete a VMI and watch it return'* && $1 == *'Step 1/3: Start the VM'* &&
             $1 == *'[ ] the VM reports Running: expected VM vm1'* && $1 == *'virtualmachines(default)[1]'* ]]; }
wait_for 30 panel || fail "lab start did not open lab 05's panel with its failing checks beside the VM list"

tmux_ send-keys -t e2e ":" && tmux_ send-keys -t e2e -l "start vm1" && tmux_ send-keys -t e2e Enter
checks_pass() { [[ $1 == *'[x] the VM reports Running'* && $1 == *'[x] one virt-launcher pod runs the VMI'* ]]; }
wait_for 60 checks_pass || fail "the live checks did not turn to [x] once the VM ran"

tmux_ send-keys -t e2e ":" && tmux_ send-keys -t e2e -l "lab grade" && tmux_ send-keys -t e2e Enter
graded() { [[ $1 == *'4 passed, 0 failed'* && $1 == *'Next: Step 2/3: Delete the VMI and watch it return'* ]]; }
wait_for 10 graded || fail ":lab grade did not pass step 1 and move to step 2"

# An output whose first line, a table header, is wider than the screen stays whole in the
# panel (that line once replaced it, alone and wrapped).
tmux_ send-keys -t e2e Escape
sleep 0.3
tmux_ send-keys -t e2e ":" && tmux_ send-keys -t e2e -l "get templates -n openshift" && tmux_ send-keys -t e2e Enter
templates() { [[ $1 == *'OUTPUT'* && $1 == *'fedora-server-small           Template for Fedora'* ]]; }
wait_for 10 templates || fail "get templates -n openshift did not keep its rows in the output panel"

tmux_ send-keys -t e2e Escape
sleep 0.3
tmux_ send-keys -t e2e q
back() { [[ $1 == *'e2e-shell$'* && $1 != *'LAB '* ]]; }
wait_for 10 back || fail "q did not give the shell back"
echo "PASS: lab 05 in the TUI"
