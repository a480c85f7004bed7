#!/usr/bin/env python
"""Summarise the seed work dirs of ``tools/run_seeds.py``: top-1 of the last
epoch and of the best epoch (max over epochs of the test-set top-1 on
CIFAR-100, labelled as such), mean ± sample std over the finished seeds, as
a README row and a metafile ``Results`` item::

    python tools/analysis_tools/summarize_seeds.py WORK_ROOT
        [--seeds 0 1 2 3 4] [--name NAME] [--config CONFIG]
        [--dataset CIFAR-100] [--metric accuracy/top1]

Crashed, unfinished and missing seeds, and finished ones whose settings
are unknown, are listed, never averaged in; seeds of different settings are
refused. Prints the settings the runs had (config and overrides, epochs or
iterations against the config's, teacher checkpoint). Writes
``summary.json`` and ``summary.md`` to WORK_ROOT and prints both rows. The
logic is :mod:`mmdccd.experiments.results`.
"""
import argparse
import json
import os.path as osp
import sys

from mmdccd.experiments.results import (TOP1, markdown_header,
                                        markdown_row, metafile_result,
                                        seeds_note, summarize)
from mmdccd.experiments.seed_settings import describe_settings


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Mean ± std of last- and best-epoch top-1 over seeds.')
    parser.add_argument('work_root', help='parent of the seed_<s> dirs')
    parser.add_argument('--seeds', type=int, nargs='+',
                        help='seeds expected (default: the seed_<s> found)')
    parser.add_argument('--name', help='row name (default: the work root)')
    parser.add_argument('--config', default='', help='config of the runs, '
                        'linked in the row')
    parser.add_argument('--dataset', default='CIFAR-100')
    parser.add_argument('--metric', default=TOP1)
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    summary = summarize(args.work_root, args.seeds, args.metric)
    name = args.name or osp.basename(osp.normpath(args.work_root))
    row = markdown_row(summary, name, args.config)
    settings = summary['settings']
    lines = [
        'Settings: ' + (describe_settings(settings) if settings else
                        'no finished seed'), '',
        markdown_header(), row
    ]
    if summary['last']['mean'] is not None:
        lines += ['', '```yaml', metafile_result(summary, args.dataset),
                  '```']
    for result in summary['seeds']:
        print(json.dumps(result))
    text = '\n'.join(lines)
    print(text)
    for file, content in (('summary.json', json.dumps(summary, indent=1)),
                          ('summary.md', text + '\n')):
        with open(osp.join(args.work_root, file), 'w') as f:
            f.write(content)
    print(f'{seeds_note(summary)}; written to '
          f'{osp.join(args.work_root, "summary.json")} and summary.md')
    return summary


if __name__ == '__main__':
    try:
        main()
    except ValueError as error:
        sys.exit(f'error: {error}')
