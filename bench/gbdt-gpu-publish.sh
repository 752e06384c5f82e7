#!/usr/bin/env bash
# Publishes gbdt-bench as one self-contained linux-x64 file for a GPU machine (which needs only the NVIDIA driver).
# Usage: bench/gbdt-gpu-publish.sh [output-dir]   (default publish/gbdt-gpu, git-ignored)
# Then, from the repository root on the GPU machine: bench/gbdt-gpu-device.sh (the equivalence check, the CUDA run
# and the CPU run of 1M x 50, 500 rounds, depth 8, and a summary).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-publish/gbdt-gpu}"
limit_mib=64
dotnet publish bench/Gbdt.Bench/Gbdt.Bench.csproj -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
  -p:DebugType=none -o "$out" >/dev/null
file="$out/gbdt-bench"
size=$(stat -c %s "$file")
printf '%s: %.1f MiB\n' "$file" "$(echo "$size / 1048576" | bc -l)"
if (( size >= limit_mib * 1048576 )); then
  echo "gbdt-bench is over the ${limit_mib} MiB limit" >&2
  exit 1
fi
