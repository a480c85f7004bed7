#!/usr/bin/env bash
# Build (or reuse) the tested Python environment and print its path.
#
# The environment lives outside the clone, keyed by a hash of what decides
# its contents (the requirement files and this script), so fresh clones
# reuse it; it is built from nothing when absent. Override the location with
# MMDCCD_VENV. The package itself is an editable install of the checkout
# that last ran this script (re-pointed in a few seconds when that changes);
# the Makefile also puts the checkout first on PYTHONPATH, so `make` always
# runs the code of its own checkout, even while clones share the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
key=$(cat requirements/*.txt tools/setup_env.sh | sha256sum | cut -c1-16)
venv=${MMDCCD_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/mmdccd/venv-$key}
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check
     -c requirements/constraints.txt)
quiet() { "$@" 2>&1 | { grep -v 'is ignored: it is neither' || true; } >&2; }
if [ ! -f "$venv/.complete" ]; then
    echo "mmdccd: building the environment in $venv (a few minutes, once)" >&2
    rm -rf "$venv"
    mkdir -p "$(dirname "$venv")"
    python3.11 -m venv "$venv" 2>/dev/null || python3 -m venv "$venv"
    # torch first: it decides which CUDA/CPU build the rest sees.
    quiet "${pip[@]}" torch torchvision setuptools wheel
    quiet "${pip[@]}" -r requirements/runtime.txt -r requirements/mminstall.txt \
        -r requirements/tests.txt
    touch "$venv/.complete"
fi
if [ "$(cat "$venv/.checkout" 2>/dev/null)" != "$PWD" ]; then
    (
        flock 9
        quiet "${pip[@]}" --no-deps --no-build-isolation -e .
        echo "$PWD" > "$venv/.checkout"
    ) 9> "$venv/.install.lock"
fi
echo "$venv"
