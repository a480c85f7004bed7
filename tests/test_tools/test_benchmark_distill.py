"""tools/analysis_tools/benchmark_distill.py: the command line writes the
table of ratios to the floor (the logic: tests/test_experiments)."""
import os
import os.path as osp
import sys

import torch

from tests.utils import REPO_ROOT

sys.path.insert(0, osp.join(REPO_ROOT, 'tools', 'analysis_tools'))
import benchmark_distill  # noqa: E402


def test_command_line_writes_the_report(tmp_path):
    cores, threads = os.sched_getaffinity(0), torch.get_num_threads()
    out = str(tmp_path / 'bench.md')
    try:
        results = benchmark_distill.main([
            '--pairs', 'resnet56-resnet20', '--methods', 'floor', 'student',
            '--batch-size', '2', '--rounds', '2', '--iters', '1',
            '--warmup', '0', '--threads', '1', '--device', 'cpu',
            '--glibc-malloc', '--out', out
        ])  # --glibc-malloc: leave this test process's malloc as it is
    finally:
        os.sched_setaffinity(0, cores)
        torch.set_num_threads(threads)
    text = open(out).read()
    assert text.startswith('CPU, 1 threads pinned to cores [')
    assert 'glibc malloc defaults; b = 2; 2 rounds of 1 passes' in text
    assert '| page faults / iter |' in text
    student = next(r for r in results['resnet56-resnet20']['results']
                   if r['method'] == 'student')
    assert student['rows'] == 2
    assert (f'| resnet56-resnet20 | student | 2 x 1 (2) | '
            f'{student["sec"]:.4f} |') in text
