#!/usr/bin/env bash
# kill -9 of kvsim in hybrid mode: the real QEMU domain it started outlives it
# (nothing ran to destroy it), and the next kvsim that connects to the same
# libvirt finds that domain, removes it and says so. Needs the guest image of
# `scripts/setup --hybrid` and a libvirtd answering on qemu:///system; elsewhere
# it exits 77 and ctest reports it skipped.
# Usage: kill9_leftover.sh KVSIM_BINARY SOURCE_DIR GUEST_DIR
set -u
kvsim=$1 src=$2 guest=${KVSIM_GUEST_DIR:-$3}
uri=qemu:///system
if [[ ! -s $guest/vmlinuz || ! -s $guest/initrd.img ]] || ! virsh -c $uri uri >/dev/null 2>&1; then
  echo "skipped: no hybrid setup here (guest in $guest, libvirtd on $uri): run scripts/setup --hybrid"
  exit 77
fi
export KVSIM_GUEST_DIR=$guest

work=$(mktemp -d)
pid=""
cleanup() {
  [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null
  [[ -n ${domain:-} ]] && virsh -c $uri destroy "$domain" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- first kvsim's output:"; cat "$work/out"; exit 1; }

# The first kvsim: a shell whose input stays open, so it keeps running until killed.
mkfifo "$work/in"
"$kvsim" shell "$src/scenarios/default.yaml" --hypervisor $uri <"$work/in" >"$work/out" 2>&1 &
pid=$!
exec 3>"$work/in"
echo "advance 30s" >&3
domain="kvsim-$pid-default_vm1"
for _ in $(seq 1 400); do
  [[ $(virsh -c $uri domstate "$domain" 2>/dev/null) == running* ]] && break
  sleep 0.5
done
[[ $(virsh -c $uri domstate "$domain" 2>/dev/null) == running* ]] || fail "$domain never ran on $uri"

kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=""
exec 3>&-
[[ $(virsh -c $uri domstate "$domain" 2>/dev/null) == running* ]] ||
  fail "$domain did not outlive the killed kvsim, so this test proves nothing"
echo "after kill -9, $domain is still running on $uri"

# The next kvsim on the same libvirt.
next=$(echo exit | "$kvsim" shell "$src/scenarios/default.yaml" --hypervisor $uri 2>&1)
echo "$next"
grep -qF "kvsim: removed domain $domain on $uri, left by an earlier run" <<<"$next" ||
  fail "the next kvsim did not report removing $domain"
if virsh -c $uri domstate "$domain" >/dev/null 2>&1; then
  fail "$domain is still defined on $uri after the next start"
fi
domain=""
echo "PASS: the next start removed the domain a kill -9 left behind"
