#!/usr/bin/env python
"""The main job (``make demo``): DCCD on Fashion-MNIST, against the student
alone and Hinton KD, under one budget. The demo itself is
:mod:`mmdccd.experiments.demo`; ``docs/demo.md`` has its results::

    python tools/demo.py [--data-root DIR] [--work-dir work_dirs/demo] \\
        [--cache-dir DIR] [--quick] [--threads 2] [--precision auto]
"""
import argparse
import sys
from typing import Dict

from mmdccd.experiments.demo import add_common_args, run_demo


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='DCCD vs KD vs the student alone on Fashion-MNIST.')
    add_common_args(parser, 'demo')
    return parser.parse_args(argv)


def main(argv=None) -> Dict:
    args = parse_args(argv)
    try:
        return run_demo(args)
    except FileNotFoundError as e:  # no data: the message says what to do
        sys.exit(str(e))


if __name__ == '__main__':
    main()
