#!/usr/bin/env bash
# Lab 12 (a real QEMU guest) solved through the kvsim binary, where hybrid mode
# can run: the guest image of `scripts/setup --hybrid` and a libvirtd answering
# on qemu:///system. Elsewhere it exits 77 and ctest reports it skipped.
# Usage: hybrid_lab_solve.sh KVSIM_BINARY SOURCE_DIR GUEST_DIR
set -u
kvsim=$1 src=$2 guest=${KVSIM_GUEST_DIR:-$3}
if [[ ! -s $guest/vmlinuz || ! -s $guest/initrd.img ]] || ! virsh -c qemu:///system uri >/dev/null 2>&1; then
  echo "skipped: no hybrid setup here (guest in $guest, libvirtd on qemu:///system): run scripts/setup --hybrid"
  exit 77
fi
cd "$src" || exit 1
out=$(KVSIM_GUEST_DIR=$guest "$kvsim" lab run 12 --solve --quiet 2>&1)
status=$?
echo "$out"
[[ $status -eq 0 ]] || { echo "FAIL: lab 12 --solve exited $status"; exit 1; }
grep -q '^PASS 12-hybrid-real-vm: 5 passed, 0 failed$' <<<"$out" || { echo "FAIL: not every check passed"; exit 1; }
grep -qE '^[0-9]+\.[0-9]+\.[0-9]+-[0-9]+-cloud-amd64$' <<<"$out" || { echo "FAIL: uname -r did not answer from the guest"; exit 1; }
grep -q "^Domain 'kvsim-[0-9]*-default_vm1' destroyed$" <<<"$out" || { echo "FAIL: virsh destroy did not destroy the real domain"; exit 1; }
echo "PASS: lab 12 solved on a real QEMU guest"
