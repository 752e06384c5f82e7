#!/usr/bin/env bash
# Installs the .NET diagnostics tools the profiling scripts use (dotnet-trace, dotnet-counters) into the
# git-ignored .tools/ folder of the repository, from the NuGet feed, and perf (Debian's linux-perf, for
# bench/scorer-cpu.sh) when it is missing and this runs as root. Idempotent: a tool already there at the pinned
# version is left alone; another version is replaced.
#   bench/install-profilers.sh          then: .tools/dotnet-trace --version
set -euo pipefail
cd "$(dirname "$0")/.."
version=${DOTNET_DIAG_TOOLS_VERSION:-10.0.750501}
mkdir -p .tools
for tool in dotnet-trace dotnet-counters; do
  installed=$(dotnet tool list --tool-path .tools 2>/dev/null | awk -v t="$tool" '$1 == t {print $2}')
  if [[ $installed == "$version" ]]; then
    echo "$tool $version: already installed"
    continue
  fi
  if [[ -n $installed ]]; then
    dotnet tool uninstall --tool-path .tools "$tool" >/dev/null
  fi
  dotnet tool install --tool-path .tools "$tool" --version "$version" >/dev/null
  echo "$tool $version: installed"
done
if command -v perf >/dev/null; then
  echo "perf: already installed"
elif [[ $(id -u) -eq 0 ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null
  echo "perf: installed (linux-perf)"
else
  echo "perf: not found and not root (apt-get install linux-perf); bench/scorer-cpu.sh needs it" >&2
fi
