# Sourced by the TUI's end-to-end tests: one private tmux server per run (its
# own -L socket, so parallel runs never meet), always killed on exit, and
# helpers to poll what the pane shows.
socket="kvsim-tui-e2e-$$-$RANDOM"
tmux_() { tmux -u -L "$socket" -f /dev/null "$@"; }
# The prompts' history goes to a file of the run's own (KVSIM_HISTORY), never the user's.
history_dir=$(mktemp -d)
history_file=$history_dir/history
cleanup() {
  tmux_ kill-server >/dev/null 2>&1
  rm -rf "$history_dir"
}
trap cleanup EXIT

screen() { tmux_ capture-pane -p -t e2e; }
fail() {
  echo "FAIL: $*"
  echo "---- screen ----"
  screen 2>/dev/null
  exit 1
}
# Polls (every 0.2 s, at most $1 seconds) until the function $2 succeeds on the screen.
wait_for() {
  local limit=$1 check=$2 i
  for ((i = 0; i < limit * 5; i++)); do
    if "$check" "$(screen)"; then return 0; fi
    sleep 0.2
  done
  return 1
}
# A shell in a WIDTHxHEIGHT pane with a known prompt; extra env assignments follow.
start_shell() {
  local width=$1 height=$2
  shift 2
  tmux_ new-session -d -s e2e -x "$width" -y "$height" \
    "env -u NO_COLOR TERM=xterm-256color KVSIM_HISTORY='$history_file' $* PS1='e2e-shell\$ ' bash --norc --noprofile -i" ||
    fail "tmux would not start"
}
# The shell goes to SOURCE_DIR and keeps KVSIM_BINARY in $K, so that the line
# starting the TUI stays short: a line wrapped in a narrow pane and then
# reflowed by a resize would leave bash's prompt where the test cannot see it.
prepare_shell() {
  tmux_ send-keys -t e2e "cd '$2' && K='$1' && clear" Enter
}
# Starts `kvsim tui ARGS...` on a cleared screen.
launch_tui() { tmux_ send-keys -t e2e "clear; \"\$K\" tui $*" Enter; }
