#!/usr/bin/env python
"""Choose the demo's distillation weights on the validation split.

Every setting of a small grid (:data:`mmdccd.experiments.sweep.GRIDS`) is
trained with the demo's budget, seed and teacher and scored by its last
top-1 on the 5,000 training images held out as the ``'val'`` subset; the
test set is never evaluated (:mod:`mmdccd.experiments.sweep`)::

    python tools/analysis_tools/demo_sweep.py [--data-root DIR] \\
        [--work-dir work_dirs/demo_sweep] [--methods KD DCCD] [--quick]

Writes ``sweep.json`` and ``sweep.md`` to the work dir and prints, for each
method, the setting with the best validation top-1.
"""
import argparse
import sys
from typing import Dict

from mmdccd.experiments import sweep
from mmdccd.experiments.demo import add_common_args


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Choose the demo\'s KD and DCCD weights on the '
        'validation split (the test set is never used).')
    add_common_args(parser, 'demo_sweep')
    parser.add_argument(
        '--methods',
        nargs='+',
        default=list(sweep.GRIDS),
        choices=list(sweep.GRIDS))
    return parser.parse_args(argv)


def main(argv=None) -> Dict:
    args = parse_args(argv)
    try:
        return sweep.run_sweep(args)
    except FileNotFoundError as e:  # no data: the message says what to do
        sys.exit(str(e))


if __name__ == '__main__':
    main()
