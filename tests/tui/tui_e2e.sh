#!/usr/bin/env bash
# End to end: `kvsim tui` in a detached tmux session of a fixed size. Delete
# the VMI vm1 with `d` + `y`, then poll the screen until the VMI is Running
# again with a younger age and the timeline shows its chain (virt-controller
# creates the VMI and the launcher pod, virt-handler reports Running). Then
# q, ^C and a crash (SIGSEGV) must each leave a clean terminal: the shell
# prompt back, nothing of the TUI on screen, input echoed again.
# Usage: tui_e2e.sh KVSIM_BINARY SOURCE_DIR
set -u
kvsim=$1
src=$2
source "$(dirname "$0")/tmux_session.sh"

# "1m5s" / "45s" / "2m" -> seconds (kubectl's short ages).
seconds_of() {
  local age=$1 total=0
  [[ $age =~ ([0-9]+)h ]] && total=$((total + BASH_REMATCH[1] * 3600))
  [[ $age =~ ([0-9]+)m ]] && total=$((total + BASH_REMATCH[1] * 60))
  [[ $age =~ ([0-9]+)s ]] && total=$((total + BASH_REMATCH[1]))
  echo "$total"
}
# The vm1 row of the VMI table: NAME AGE PHASE ...
vmi_row() { grep -E '^vm1 +[0-9hms]+ +[A-Za-z]+' <<<"$1" | head -1; }

start_shell 200 50 LC_ALL=C.UTF-8
prepare_shell "$kvsim" "$src"
launch_tui default

running_long_enough() {
  local row
  row=$(vmi_row "$1")
  [[ $row == *Running* ]] && (($(seconds_of "$(awk '{print $2}' <<<"$row")") >= 20))
}
tmux_ send-keys -t e2e + +  # x5: the first start takes ~10 s of sim time
wait_for 60 running_long_enough || fail "vm1 never ran for 20s"
age_before=$(seconds_of "$(vmi_row "$(screen)" | awk '{print $2}')")

tmux_ send-keys -t e2e d
confirm_asked() { [[ $1 == *'delete virtualmachineinstances vm1 -n default?  (y/n)'* ]]; }
wait_for 10 confirm_asked || fail "d did not ask to confirm"
tmux_ send-keys -t e2e y
deleted() { [[ $1 == *'virtualmachineinstance.kubevirt.io "vm1" deleted'* ]]; }
wait_for 10 deleted || fail "the delete was not confirmed on screen"

back_with_chain() {
  local row age
  row=$(vmi_row "$1")
  [[ $row == *Running* ]] || return 1
  age=$(seconds_of "$(awk '{print $2}' <<<"$row")")
  ((age < age_before)) || return 1
  grep -qE 'virt-controller +VirtualMachineInstance default/vm1  created' <<<"$1" &&
    grep -qE 'virt-controller +Pod default/virt-launcher-vm1-[a-z0-9]+  created' <<<"$1" &&
    grep -qE 'virt-handler/worker-[0-9] +VirtualMachineInstance default/vm1  phase Scheduled -> Running' <<<"$1"
}
wait_for 90 back_with_chain || fail "vm1 did not come back Running (younger than ${age_before}s) with its chain in the timeline"
echo "vm1 back Running: $(vmi_row "$(screen)")"

# Leaving must give the terminal back whole: after q, after ^C, and after a crash.
after_screen_is_clean() {
  local how=$1 after
  prompt_back() { [[ $(grep -v '^$' <<<"$1" | tail -1) == 'e2e-shell$' ]]; }
  wait_for 20 prompt_back || fail "$how did not return to the shell prompt"
  after=$(screen)
  grep -qE 'TIMELINE|RUNNING|PAUSED|VirtualMachineInstance' <<<"$after" && fail "$how left the TUI's screen behind"
  tmux_ send-keys -t e2e "clear; echo clean-\$((20 + 22))" Enter  # the terminal echoes and runs lines again
  echoed() { grep -q '^clean-42$' <<<"$1"; }
  wait_for 10 echoed || fail "the terminal does not work after $how"
}
tmux_ send-keys -t e2e q
after_screen_is_clean "q"

started() { [[ $1 == *' RUNNING '* ]]; }
launch_tui default
wait_for 20 started || fail "kvsim tui did not start again"
tmux_ send-keys -t e2e C-c
after_screen_is_clean "^C (SIGINT)"

launch_tui default
wait_for 20 started || fail "kvsim tui did not start a third time"
shell_pid=$(tmux_ display-message -p -t e2e '#{pane_pid}')
tui_pid=$(pgrep -P "$shell_pid" | head -1)
[[ -n $tui_pid ]] || fail "no kvsim process under the shell"
kill -SEGV "$tui_pid"  # the crash path: the fatal-signal handler must call endwin() first
after_screen_is_clean "a crash (SIGSEGV)"
echo "PASS"
