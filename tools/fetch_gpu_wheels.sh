#!/usr/bin/env bash
# Download the pure-Python wheels that tools/gpu_check.sh installs on a GPU
# host without a package registry (Python 3.12; torch, numpy, opencv,
# matplotlib, rich, einops, pyyaml, scipy, joblib, click, markdown, zipp and
# setuptools already there): the OpenMMLab stack of requirements/constraints.txt
# and the pure-Python packages it needs that such a host lacks. Into .whl/
# (ignored by git; copy it with the working tree).
#   bash tools/fetch_gpu_wheels.sh [PYTHON]        # PYTHON: default python3
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${1:-python3}
DEST=.whl
WHEELS=(
  mmengine==0.10.7 mmcv-lite==2.1.0 mmpretrain==1.2.0 mmrazor==1.0.0
  # their pure-Python requirements missing on the GPU host
  addict==2.4.0 termcolor==3.3.0 yapf==0.43.0 platformdirs==4.14.9
  ordered-set==4.1.0 mat4py==0.6.0 modelindex==0.0.2 model-index==0.1.11
  importlib-metadata==10.2.0
)
mkdir -p "$DEST"
for spec in "${WHEELS[@]}"; do
  name=${spec%%==*}
  # a wheel where PyPI has one, else a wheel built here from the sdist
  # (all of these are pure Python: py3-none-any)
  "$PYTHON" -m pip download -q --no-deps --only-binary=:all: \
      --python-version 3.12 --implementation py --abi none \
      --platform any -d "$DEST" "$spec" 2>/dev/null ||
    "$PYTHON" -m pip wheel -q --no-deps -w "$DEST" "$spec"
  ls "$DEST" | grep -qi "^${name//-/[-_]}-" ||
    { echo "no wheel for $spec in $DEST" >&2; exit 1; }
done
if ls "$DEST"/*.whl | grep -v -- '-none-any\.whl$'; then
  echo "the wheels above are not pure Python" >&2; exit 1
fi
du -sh "$DEST"
echo "wrote ${#WHEELS[@]} wheels to $DEST/; copy it with the working tree to the GPU host"
