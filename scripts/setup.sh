#!/usr/bin/env bash
# Installs what MLPipelines needs to build and test, when it is missing, and builds the
# solution (the libtorch shim included). Idempotent; no prompts; run as root or with sudo.
#
#   scripts/setup.sh                # build and test needs
#   scripts/setup.sh --benchmarks   # also the Python peers the benchmarks compare against
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  libtorch-dev          # libtorch 1.13 (CPU) with its C++ headers and CMake config
  libxgboost-dev        # XGBoost 1.7 C API
  libopenblas0-pthread  # without it libtorch multiplies matrices with the reference BLAS, ~50x slower
  cmake g++             # build the libtorch shim
  fonts-dejavu-core     # the experiment report's charts: ScottPlot's Skia build measures and names text with a font from /usr/share/fonts
  chromium              # the report's tests open the HTML in headless Chromium to check that it renders
)
if [[ "${1:-}" == "--benchmarks" ]]; then
  packages+=(python3-torch python3-torchvision python3-xgboost python3-sklearn python3-pandas dataset-fashion-mnist)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if (( ${#missing[@]} > 0 )); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if (( EUID != 0 )); then
    command -v sudo >/dev/null || { echo "setup: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# libtorch uses whichever libblas.so.3 the alternatives system selects: make it OpenBLAS.
multiarch=$(gcc -print-multiarch)
openblas="/usr/lib/$multiarch/openblas-pthread/libblas.so.3"
if [[ "$(readlink -f "/usr/lib/$multiarch/libblas.so.3")" != "$(readlink -f "$openblas")" ]]; then
  echo "setup: selecting OpenBLAS as libblas.so.3"
  ${sudo:-} update-alternatives --set "libblas.so.3-$multiarch" "$openblas"
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)" >&2; exit 1; }
dotnet_major=$(dotnet --version | cut -d. -f1)
(( dotnet_major >= 10 )) || { echo "setup: the .NET 10 SDK is required (found $(dotnet --version))" >&2; exit 1; }

echo "setup: building (the libtorch shim compiles in about a minute the first time)"
dotnet build MLPipelines.sln -c Release -nologo -clp:ErrorsOnly
