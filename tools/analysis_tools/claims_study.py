#!/usr/bin/env python
"""The reproduction study on Fashion-MNIST (docs/study.md).

    python tools/analysis_tools/claims_study.py run [--groups accuracy theta beta] [--seeds 0 1 2 3 4]
    python tools/analysis_tools/claims_study.py report [--out-dir work_dirs/study]

``run`` trains every (setting, seed) not cached yet in ``--study-dir``
(``~/.cache/mmdccd/study``), so it resumes where it stopped; ``report``
writes the tables (mean +- std over seeds, each claim against its noise)
and the pictures. The logic is :mod:`mmdccd.experiments.study`.
"""
import argparse

from mmdccd.experiments.demo import add_common_args
from mmdccd.experiments.study import add_study_args, run_cli


def main(argv=None):
    parser = argparse.ArgumentParser(
        description='The paper\'s claims on Fashion-MNIST, multi-seed.')
    add_study_args(parser)
    add_common_args(parser, 'study')
    return run_cli(parser.parse_args(argv))


if __name__ == '__main__':
    main()
