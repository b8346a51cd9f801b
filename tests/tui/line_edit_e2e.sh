#!/usr/bin/env bash
# End to end, line editing on a terminal, one history file (KVSIM_HISTORY) for all:
# 1. `kvsim shell`: a first run types `gt vms`, mends it with ^A ^F and `e`, and runs it;
#    a second run's up arrow recalls `get vms`, Tab completes `describe vm v` to vm1's
#    name and `node fail w` to `worker-`, and a second Tab lists the three workers.
# 2. The TUI's `:` prompt: up recalls the shell's lines; Tab completes `get vmi v` to
#    `get vmi vm1`; ^W and ^U edit; a new TUI recalls the line the last one ran.
# 3. A garbled history file: the shell says what it skipped and recalls the good lines.
# Usage: line_edit_e2e.sh KVSIM_BINARY SOURCE_DIR
set -u
source "$(dirname "$0")/tmux_session.sh"

start_shell 120 40
prepare_shell "$1" "$2"
# The line the cursor is on (the prompt being edited), trailing blanks dropped.
cursor_line() {
  local y
  y=$(tmux_ display-message -p -t e2e '#{cursor_y}')
  tmux_ capture-pane -p -t e2e | sed -n "$((y + 1))p" | sed 's/ *$//'
}
# Polls until the cursor's line is exactly $2 (at most $1 seconds).
wait_line() {
  local limit=$1 want=$2 i
  for ((i = 0; i < limit * 5; i++)); do
    [[ $(cursor_line) == "$want" ]] && return 0
    sleep 0.2
  done
  return 1
}
type_slowly() {  # a key at a time, as a person types
  local text=$1 i
  for ((i = 0; i < ${#text}; i++)); do
    tmux_ send-keys -t e2e -l "${text:i:1}"
    sleep 0.03
  done
}

# 1. The shell, run twice.
tmux_ send-keys -t e2e 'clear; "$K" shell' Enter
wait_line 20 'kvsim [0.0s]>' || fail "the shell showed no prompt"
type_slowly "gt vms"
tmux_ send-keys -t e2e C-a C-f
type_slowly "e"
wait_line 5 'kvsim [0.0s]> get vms' || fail "^A ^F and typing did not mend the line: '$(cursor_line)'"
tmux_ send-keys -t e2e Enter
listed() { grep -qE '^vm1 +[0-9]+[smh]' <<<"$1"; }
wait_for 10 listed || fail "get vms did not list vm1"
type_slowly "quit"
tmux_ send-keys -t e2e Enter
wait_line 10 'e2e-shell$' || fail "quit did not end the shell"
[[ $(cat "$history_file") == "get vms" ]] || fail "the history file holds '$(cat "$history_file")', not 'get vms'"

tmux_ send-keys -t e2e 'clear; "$K" shell' Enter
wait_line 20 'kvsim [0.0s]>' || fail "the shell did not start again"
tmux_ send-keys -t e2e Up
wait_line 5 'kvsim [0.0s]> get vms' || fail "up did not recall the last run's line: '$(cursor_line)'"
tmux_ send-keys -t e2e C-u
wait_line 5 'kvsim [0.0s]>' || fail "^U did not clear the line"
type_slowly "describe vm v"
tmux_ send-keys -t e2e Tab
wait_line 5 'kvsim [0.0s]> describe vm vm1' || fail "Tab did not complete vm1: '$(cursor_line)'"
tmux_ send-keys -t e2e Enter
described() { grep -qE '^Name: +vm1$' <<<"$1"; }
wait_for 10 described || fail "describe vm vm1 did not run"
type_slowly "node fail w"
tmux_ send-keys -t e2e Tab
wait_line 5 'kvsim [0.0s]> node fail worker-' || fail "Tab did not complete the workers' shared prefix: '$(cursor_line)'"
tmux_ send-keys -t e2e Tab
listed_workers() { grep -qE '^worker-1 +worker-2 +worker-3$' <<<"$1"; }
wait_for 5 listed_workers || fail "a second Tab did not list worker-1 worker-2 worker-3"
wait_line 5 'kvsim [0.0s]> node fail worker-' || fail "the line was not shown again under the list: '$(cursor_line)'"
tmux_ send-keys -t e2e C-u
type_slowly "quit"
tmux_ send-keys -t e2e Enter
wait_line 10 'e2e-shell$' || fail "quit did not end the second shell"
[[ $(cat "$history_file") == $'get vms\ndescribe vm vm1' ]] || fail "the history file holds '$(cat "$history_file")'"
echo "shell: up recalled the last run's line, Tab completed and listed"

# 2. The TUI's prompt, on the same history.
launch_tui default
vmi_row() { grep -qE '^vm1 +[0-9hms]+ +(Scheduling|Scheduled|Running)' <<<"$1"; }
wait_for 30 vmi_row || fail "the TUI did not show vm1's VMI"
tmux_ send-keys -t e2e :
wait_line 5 ':' || fail ": did not open the prompt"
tmux_ send-keys -t e2e Up
wait_line 5 ':describe vm vm1' || fail "up at the : prompt did not recall the shell's last line: '$(cursor_line)'"
tmux_ send-keys -t e2e Up
wait_line 5 ':get vms' || fail "a second up did not recall the line before it: '$(cursor_line)'"
tmux_ send-keys -t e2e C-u
wait_line 5 ':' || fail "^U did not clear the prompt"
type_slowly "get vmi v"
tmux_ send-keys -t e2e Tab
wait_line 5 ':get vmi vm1' || fail "Tab did not complete the VMI's name: '$(cursor_line)'"
type_slowly "-o yaml"
tmux_ send-keys -t e2e C-w
wait_line 5 ':get vmi vm1 -o' || fail "^W did not delete the word before the cursor: '$(cursor_line)'"
tmux_ send-keys -t e2e C-w C-w
wait_line 5 ':get vmi' || fail "^W ^W did not delete two more words: '$(cursor_line)'"
tmux_ send-keys -t e2e Escape
sleep 0.3
tmux_ send-keys -t e2e :
type_slowly "node fail w"
tmux_ send-keys -t e2e Tab
wait_line 5 ':node fail worker-' || fail "Tab at the : prompt did not complete the workers' prefix: '$(cursor_line)'"
tmux_ send-keys -t e2e Tab
tui_listed() { grep -qE '^worker-1  worker-2  worker-3 *$' <<<"$1"; }
wait_for 5 tui_listed || fail "a second Tab did not list the workers above the prompt"
tmux_ send-keys -t e2e C-u
type_slowly "get vmi vm1"
tmux_ send-keys -t e2e Enter
shown() { grep -qE 'vm1 +[0-9hms]+ +(Scheduling|Scheduled|Running)' <<<"$1"; }
wait_for 5 shown || fail ":get vmi vm1 did not run"
tmux_ send-keys -t e2e Escape  # the output's panel
sleep 0.3
tmux_ send-keys -t e2e q
wait_line 10 'e2e-shell$' || fail "q did not leave the TUI"
[[ $(tail -1 "$history_file") == "get vmi vm1" ]] || fail "the TUI's line is not the history's last: '$(tail -1 "$history_file")'"
launch_tui default
wait_for 30 vmi_row || fail "the TUI did not start again"
tmux_ send-keys -t e2e :
tmux_ send-keys -t e2e Up
wait_line 5 ':get vmi vm1' || fail "up in a new TUI did not recall the last TUI's line: '$(cursor_line)'"
tmux_ send-keys -t e2e Escape
sleep 0.3
tmux_ send-keys -t e2e q
wait_line 10 'e2e-shell$' || fail "q did not leave the second TUI"
echo "TUI: up recalled the shell's and the last TUI's lines, Tab completed get vmi vm1"

# 3. A garbled history: binary bytes and a line cut by a crash cost only themselves.
printf 'get vms\n\001\377garbage\nadvance 30s\nstart v' >"$history_file"
tmux_ send-keys -t e2e 'clear; "$K" shell' Enter
wait_line 20 'kvsim [0.0s]>' || fail "the shell did not start on a garbled history"
said() { [[ $1 == *"history $history_file: 2 damaged lines skipped (kept: 2)"* ]]; }
wait_for 5 said || fail "the shell did not say what it skipped"
tmux_ send-keys -t e2e Up
wait_line 5 'kvsim [0.0s]> advance 30s' || fail "up did not recall the last good line: '$(cursor_line)'"
tmux_ send-keys -t e2e C-u
type_slowly "quit"
tmux_ send-keys -t e2e Enter
wait_line 10 'e2e-shell$' || fail "quit did not end the shell"
echo "PASS: line editing in the shell and the TUI"
