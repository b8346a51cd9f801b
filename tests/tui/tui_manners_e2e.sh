#!/usr/bin/env bash
# End to end, terminal manners: `kvsim tui` in a 70x20 pane says it needs
# 80x24, draws once the pane is resized; in a non-UTF-8 locale the map's
# boxes are ASCII; under NO_COLOR the screen carries no colour (attributes
# only), without it it does. Acting from the UI: `f` on a node row powers the
# node off and the map shows it DOWN, `R` powers it on again.
# Usage: tui_manners_e2e.sh KVSIM_BINARY SOURCE_DIR
set -u
kvsim=$1
src=$2
source "$(dirname "$0")/tmux_session.sh"

# Any SGR colour parameter (30-38, 40-48, 90-97, 100-107) in the pane's escape sequences.
has_colour() { grep -qP '\x1b\[(?:[0-9]*;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9]*)*m' <<<"$(tmux_ capture-pane -e -p -t e2e)"; }

start_shell 70 20 LC_ALL=C NO_COLOR=1
prepare_shell "$kvsim" "$src"
launch_tui default
too_small() { [[ $1 == *'kvsim tui needs a terminal of at least 80x24'* && $1 == *'this one is 70x20'* ]]; }
wait_for 20 too_small || fail "a 70x20 pane was not told it is too small"

tmux_ resize-window -t e2e -x 100 -y 30
table_drawn() { [[ $1 == *'NAME   AGE   PHASE'* && $1 != *'needs a terminal'* ]]; }
wait_for 10 table_drawn || fail "no redraw after the resize"
has_colour && fail "NO_COLOR is set, yet the screen has colours"

tmux_ send-keys -t e2e ":nodes" Enter
nodes_shown() { [[ $1 == *'nodes(cluster)[6]'* ]]; }
wait_for 10 nodes_shown || fail ":nodes did not show the 6 nodes"
for _ in 1 2 3 4; do  # control-plane-1..3, worker-1, worker-2: one key per frame
  tmux_ send-keys -t e2e j
  sleep 0.2
done
tmux_ send-keys -t e2e f
powered_off() { [[ $1 == *'node/worker-2 powered off (kubelet and virt-handler stopped)'* ]]; }
wait_for 10 powered_off || fail "f on the worker-2 row did not power it off"
tmux_ send-keys -t e2e ":map" Enter
down_on_map() { grep -q '+ worker-2 DOWN -*+' <<<"$1" && grep -q '| host powered off' <<<"$1"; }
wait_for 10 down_on_map || fail "the map does not show worker-2 DOWN in ASCII boxes"

tmux_ send-keys -t e2e ":nodes" Enter
wait_for 10 nodes_shown || fail ":nodes did not come back"
tmux_ send-keys -t e2e R
powered_on() { [[ $1 == *'node/worker-2 powered on (booting: kubelet and virt-handler start in 2m0s)'* ]]; }
wait_for 10 powered_on || fail "R on the worker-2 row did not power it on"
tmux_ send-keys -t e2e ":map" Enter
up_on_map() { grep -q '+ worker-2 Ready -*+' <<<"$1"; }
wait_for 10 up_on_map || fail "the map does not show worker-2 back"
tmux_ send-keys -t e2e q
prompt_back() { [[ $(grep -v '^$' <<<"$1" | tail -1) == 'e2e-shell$' ]]; }
wait_for 20 prompt_back || fail "q did not return to the shell prompt"

# Without NO_COLOR the same screen is coloured: the check above can fail.
tmux_ send-keys -t e2e "unset NO_COLOR" Enter
launch_tui default
wait_for 20 table_drawn || fail "kvsim tui did not start again"
has_colour || fail "without NO_COLOR the screen has no colours"
tmux_ send-keys -t e2e q
wait_for 20 prompt_back || fail "q did not return to the shell prompt"
echo "PASS"
