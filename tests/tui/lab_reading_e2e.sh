#!/usr/bin/env bash
# End to end, a lab at reading pace in the TUI at 120x40: before each step the
# trainee lets 3 minutes of sim time pass (`:advance 3m`, as reading with the
# clock running would), then types the step's solution at the `:` prompt (the
# commands `kvsim lab run LAB --solve` prints) and `:lab grade`: every step
# passes. On the way, the lab panel is beside the table and the timeline.
# Usage: lab_reading_e2e.sh KVSIM_BINARY SOURCE_DIR LAB
set -u
kvsim=$1
src=$2
lab=$3
source "$(dirname "$0")/tmux_session.sh"

# The solution, step by step, as the headless run prints it ("--- step i/N", then "> CMD").
mapfile -t plan < <(cd "$src" && "$kvsim" lab run "$lab" --solve --quiet | grep -E '^(--- step |> )')
((${#plan[@]} > 0)) || fail "no solution printed for lab $lab"

type_command() {
  tmux_ send-keys -t e2e ":" && tmux_ send-keys -t e2e -l "$1" && tmux_ send-keys -t e2e Enter
  sleep 0.3
}

start_shell 120 40
prepare_shell "$kvsim" "$src"
tmux_ send-keys -t e2e "clear; \"\$K\" lab start $lab" Enter
opened() { [[ $1 == *'LAB '* && $1 == *'Step 1/'* && $1 == *'CHECKS'* && $1 == *'TIMELINE'* ]]; }
wait_for 30 opened || fail "lab start $lab did not open with the lab panel beside the table and the timeline"
tmux_ send-keys -t e2e " "  # pause: the steps' own waits are typed

steps=0
for ((i = 0; i <= ${#plan[@]}; i++)); do
  line=${plan[i]:-"--- step end"}
  if [[ $line == "--- step "* ]]; then
    if ((steps > 0)); then
      type_command "lab grade"
      graded() { [[ $1 == *' passed, 0 failed'* ]]; }
      wait_for 20 graded || fail "step $steps of lab $lab did not pass after a 3 minute reading pause"
      tmux_ send-keys -t e2e Escape
      sleep 0.3
    fi
    [[ $line == "--- step end" ]] && break
    steps=$((steps + 1))
    type_command "advance 3m"  # reading the step
  else
    type_command "${line#> }"
    tmux_ send-keys -t e2e Escape  # an output panel, if the command opened one
  fi
done
type_command "lab finish"
finished() { [[ $1 == *"Lab $lab finished at "*"steps passed. Well done."* ]]; }
wait_for 10 finished || fail "lab $lab did not finish with every step passed"
tmux_ send-keys -t e2e Escape
sleep 0.3
tmux_ send-keys -t e2e q
back() { [[ $1 == *'e2e-shell$'* ]]; }
wait_for 10 back || fail "q did not give the shell back"
echo "PASS: lab $lab in the TUI after reading each step for 3 minutes"
