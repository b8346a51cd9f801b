# Sourced by the e2e tests of the real kubectl against kvsim: skips (exit 77)
# without kubectl, keeps a temp folder that goes on exit, and starts kvsim
# serving the API with its stdin on fd 3.
command -v kubectl >/dev/null || { echo "kubectl is not on PATH: skipped"; exit 77; }
tmp=$(mktemp -d)
pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  echo "--- kvsim stdout (tail)"; tail -40 "$tmp/out"
  echo "--- kvsim stderr (tail)"; tail -60 "$tmp/err"
  exit 1
}

# start_serving KVSIM ARGS...: runs `KVSIM ARGS... --serve --port 0`, fed through a
# fifo on fd 3, waits for its kubeconfig and exports KUBECONFIG and KUBECACHEDIR.
start_serving() {
  mkfifo "$tmp/in"
  "$@" --serve --port 0 --kubeconfig-out "$tmp/kubeconfig" <"$tmp/in" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  exec 3>"$tmp/in"
  for _ in $(seq 100); do [[ -s $tmp/kubeconfig ]] && break; sleep 0.1; done
  [[ -s $tmp/kubeconfig ]] || fail "no kubeconfig written"
  export KUBECONFIG=$tmp/kubeconfig KUBECACHEDIR=$tmp/cache
}

# Sends a shell command and waits until the shell has answered it (the marker echo).
shell() {
  local marker="marker-$RANDOM$RANDOM"
  echo "$1" >&3
  echo "get namespace $marker" >&3
  for _ in $(seq 300); do grep -q "$marker" "$tmp/out" && return 0; sleep 0.1; done
  fail "the shell did not answer: $1"
}
