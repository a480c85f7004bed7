#!/usr/bin/env bash
# One-command check of mmdccd on a GPU host (under 5 minutes on one GPU before
# steps 4-5 grew; their time is unmeasured until this runs on a GPU):
#   1. installs the OpenMMLab stack from the pure-Python wheels in .whl/
#      (tools/fetch_gpu_wheels.sh downloads them where pip works) into a
#      temporary folder, when it is not importable already;
#   2. the stack on this host's torch and numpy: tests/test_compat.py and the
#      CPU tests of the models;
#   3. the tests marked `cuda` (skipped on CPU-only machines), among them
#      fp16 `tools/train.py --amp` iterations of the shipped DCCD configs;
#   4. the benchmark table with --device cuda (benchmark_distill.py), the
#      fast path (BN-folded teacher, bf16, compiled) beside the eager floors;
#   5. configs/dccd/r56_r20_c100.py through the Runner (hooks and per-epoch
#      validation) on generated CIFAR-100-shaped data, fast path with CUDA
#      graphs, and the predicted wall time of its full 240-epoch run
#      (predict_run_time.py);
#   6. a summary line.
# Logs and the benchmark table go to OUT (default: work_dirs/gpu_check).
#   bash tools/gpu_check.sh [OUT]
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-${OUT:-work_dirs/gpu_check}}
mkdir -p "$OUT"
PY=${PYTHON:-python3}
SITE=${GPU_CHECK_SITE:-/tmp/mmdccd_site}
start=$SECONDS
status=()

if ! "$PY" -c 'import mmengine, mmcv, mmpretrain, mmrazor' 2>/dev/null; then
  ls .whl/*.whl >/dev/null 2>&1 ||
    { echo "no .whl/: run tools/fetch_gpu_wheels.sh where pip works" >&2; exit 2; }
  "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir \
      --upgrade --target "$SITE" .whl/*.whl || exit 2
  export PYTHONPATH="$SITE${PYTHONPATH:+:$PYTHONPATH}"
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
# mmengine's environment report imports distutils, which Python 3.12 lacks
# unless setuptools provides it; make setuptools provide it
if ! "$PY" -c 'import distutils' 2>/dev/null; then
  mkdir -p "$SITE"
  echo 'import setuptools  # provides distutils on Python >= 3.12' \
      >"$SITE/sitecustomize.py"
  export PYTHONPATH="$SITE:$PYTHONPATH"
fi

"$PY" - <<'EOF' 2>&1 | tee "$OUT/versions.txt"
import sys
import numpy, torch
import mmdccd, mmengine, mmcv, mmpretrain, mmrazor
print(f'python {sys.version.split()[0]}, torch {torch.__version__}, '
      f'numpy {numpy.__version__}, mmengine {mmengine.__version__}, '
      f'mmcv {mmcv.__version__}, mmpretrain {mmpretrain.__version__}, '
      f'mmrazor {mmrazor.__version__}, mmdccd {mmdccd.__version__}')
print('GPU:', torch.cuda.get_device_name(0) if torch.cuda.is_available()
      else 'none')
EOF
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "import failed" >&2; exit 2; }

run() {  # name, command...: run, log to $OUT/name.log, remember the result
  local name=$1; shift
  echo "== $name: $*"
  "$@" 2>&1 | tee "$OUT/$name.log" | tail -n 25
  local rc=${PIPESTATUS[0]}
  status+=("$name=$([ "$rc" -eq 0 ] && echo ok || echo "FAILED($rc)")")
}

XDIST=$("$PY" -c 'import xdist' 2>/dev/null && echo '-n 8')
run cpu_tests "$PY" -m pytest tests/test_compat.py tests/test_models -q \
    -p no:cacheprovider -m 'not cuda' $XDIST
run cuda_tests "$PY" -m pytest tests -q -p no:cacheprovider -m cuda -rs
run benchmark "$PY" tools/analysis_tools/benchmark_distill.py --device cuda \
    --pairs resnet56-resnet20 resnet32x4-resnet8x4 --batch-size 64 \
    --methods floor floor-bf16 kd dccd dccd-eager dccd-bf16 dccd-compiled \
    teacher-eager teacher-fast \
    --rounds 5 --iters 10 --warmup 1 --profile 3 --out "$OUT/benchmark.md"
run run_time "$PY" tools/analysis_tools/predict_run_time.py --device cuda \
    --epochs 3 --iters 200 --work-dir "$OUT/run_time"

summary="gpu_check: ${status[*]}; $((SECONDS - start)) s; $(head -n 1 \
    "$OUT/versions.txt"); $(grep -h 'predicted' "$OUT/run_time.log" | tail -n 1)"
echo "$summary" | tee "$OUT/summary.txt"
[[ "${status[*]}" != *FAILED* ]]
