#!/usr/bin/env bash
# The GBDT measurement on a GPU machine, in one run: the CUDA equivalence check, then gbdt-bench on CUDA and on the
# CPU backend of the same machine at one shape, and a summary with the ratio. The machine needs the NVIDIA driver and
# the self-contained gbdt-bench that bench/gbdt-gpu-publish.sh builds (no .NET).
#
# Usage: bench/gbdt-gpu-device.sh [bench-dir]     (default publish/gbdt-gpu; run from the repository root)
# Every step's output goes to the screen and to $OUT (default publish/gbdt-gpu-results): gpu.txt, equivalence.txt,
# device.txt, cpu.txt, summary.txt. Exit status: 0 when every step ran and the check printed EQUIVALENT, else 1.
#
# The shape (defaults: the target run) can be changed to rehearse on a machine without a GPU, through ILGPU's CPU
# accelerator at a small shape:
#   GBDT_DEVICE=ilgpu-cpu GBDT_ROWS=4000 GBDT_FEATURES=20 GBDT_ROUNDS=3 GBDT_DEPTH=4 \
#     GBDT_CHECK_ROWS=3000 GBDT_CHECK_ROUNDS=2 bench/gbdt-gpu-device.sh
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
bench_dir="${1:-publish/gbdt-gpu}"
bench="$bench_dir/gbdt-bench"
out="${OUT:-publish/gbdt-gpu-results}"
device="${GBDT_DEVICE:-cuda}"
rows="${GBDT_ROWS:-1000000}"
features="${GBDT_FEATURES:-50}"
rounds="${GBDT_ROUNDS:-500}"
depth="${GBDT_DEPTH:-8}"
check_rows="${GBDT_CHECK_ROWS:-200000}"
check_rounds="${GBDT_CHECK_ROUNDS:-50}"
step_limit="${GBDT_STEP_SECONDS:-300}"

if [[ ! -x $bench ]]; then
  echo "no $bench: run bench/gbdt-gpu-publish.sh first (and carry $bench_dir to this machine)" >&2
  exit 1
fi
mkdir -p "$out"
status=0

# Runs one step with a time limit, its output on the screen and in $out/$1.txt; a failure is remembered, not fatal.
step() {
  local name=$1
  shift
  echo "== $name: $*"
  timeout "$step_limit" "$@" 2>&1 | tee "$out/$name.txt"
  local rc=${PIPESTATUS[0]}
  if ((rc != 0)); then
    echo "== $name failed (exit $rc)"
    status=1
  fi
}

{
  date -u +%Y-%m-%dT%H:%M:%SZ
  nproc
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader
  else
    echo "no nvidia-smi on this machine"
  fi
} | tee "$out/gpu.txt"

step equivalence "$bench" --check-equivalence --device "$device" --rows "$check_rows" --features "$features" --rounds "$check_rounds" --depth "$depth"
grep -q '^EQUIVALENT$' "$out/equivalence.txt" || status=1
step device "$bench" --device "$device" --rows "$rows" --features "$features" --rounds "$rounds" --depth "$depth"
step cpu "$bench" --device cpu --rows "$rows" --features "$features" --rounds "$rounds" --depth "$depth"

# The wall time of a run's training (binning included), and its model digest.
wall() { sed -n 's/.*training (binning included): \([0-9.]*\) s wall.*/\1/p' "$out/$1.txt"; }
digest() { sed -n 's/^model digest: \([0-9A-F]*\).*/\1/p' "$out/$1.txt"; }
{
  echo "shape: $rows x $features, $rounds rounds, depth $depth; device $device"
  echo "equivalence ($check_rows rows, $check_rounds rounds): $(grep -E '^(EQUIVALENT|MISMATCH)$' "$out/equivalence.txt" || echo 'did not finish')"
  device_wall=$(wall device) cpu_wall=$(wall cpu)
  if [[ -n $device_wall && -n $cpu_wall ]]; then
    echo "training wall: $device $device_wall s, cpu $cpu_wall s, ratio $device/cpu $(awk -v a="$device_wall" -v b="$cpu_wall" 'BEGIN { printf "%.3f", a / b }')"
  else
    echo "training wall: a run did not finish"
  fi
  grep -h '^device start\|^device memory' "$out/device.txt" || true
  if [[ -n $(digest device) && $(digest device) == "$(digest cpu)" ]]; then
    echo "model digests: equal ($(digest device)): the same trees bit for bit on both"
  else
    echo "model digests: $device $(digest device), cpu $(digest cpu)"
  fi
  echo "status: $([[ $status == 0 ]] && echo ok || echo FAILED)"
} | tee "$out/summary.txt"
exit "$status"
