"""benchmark_distill: equal network rows for KD and DCCD, and the table's
ratio to KD."""
import os.path as osp
import sys

import pytest
import torch

from tests.utils import REPO_ROOT

sys.path.insert(0, osp.join(REPO_ROOT, 'tools', 'analysis_tools'))
import benchmark_distill  # noqa: E402


def test_batches_have_equal_rows():
    kd = benchmark_distill.make_batch('kd', 3, 8, 10)
    dccd = benchmark_distill.make_batch('dccd', 3, 8, 10)
    student = benchmark_distill.make_batch('student', 3, 8, 10)
    assert kd['inputs'].shape == (6, 3, 8, 8)
    assert [v.shape for v in dccd['inputs']] == [(3, 3, 8, 8)] * 2
    assert len(dccd['data_samples']) == 3  # one per image, both views
    assert student['inputs'].shape == (3, 3, 8, 8)
    crd = benchmark_distill.make_batch('crd', 2, 8, 10)
    assert [int(s.sample_idx) for s in crd['data_samples']] == [0, 1, 2, 3]


def test_table_ratio_to_kd():
    results = [
        dict(method='kd', pair='p', rows=8, images=8, sec_per_iter=2.0,
             rows_per_sec=4.0, peak_mem_mib=10.0),
        dict(method='dccd', pair='p', rows=8, images=4, sec_per_iter=2.2,
             rows_per_sec=8 / 2.2, peak_mem_mib=12.0),
        dict(method='crd', pair='p', error='ValueError: x'),
    ]
    table = benchmark_distill.format_table(results, 'cpu')
    assert '| p | dccd | 4 x 2 (8) | 2.200 | 3.6 | 12 | 1.10 |' in table
    assert '| p | kd | 8 x 1 (8) | 2.000 | 4.0 | 10 | 1.00 |' in table
    assert 'n/a (ValueError: x)' in table


def test_dccd_iteration_runs_tiny():
    torch.set_num_threads(1)
    from mmengine.registry import init_default_scope
    init_default_scope('mmrazor')
    benchmark_distill.PAIRS['tiny'] = ('resnet8', 'resnet8', 8, 4)
    try:
        r = benchmark_distill.bench_one('dccd', 'tiny', 2, 1, 0, 'cpu')
    finally:
        del benchmark_distill.PAIRS['tiny']
    assert r['rows'] == 4 and r['images'] == 2
    assert r['rows_per_sec'] == pytest.approx(4 / r['sec_per_iter'])


def test_rounds_merge_to_the_median_of_all_iterations():
    base = dict(method='dccd', pair='p', rows=4, images=2)
    rounds = [
        dict(base, sec_per_iter=1.0, rows_per_sec=4.0, peak_mem_mib=5.0,
             times=[1.0, 3.0]),
        dict(base, sec_per_iter=2.0, rows_per_sec=2.0, peak_mem_mib=7.0,
             times=[2.0, 4.0, 5.0]),
    ]
    merged = benchmark_distill.merge_rounds(rounds)
    assert merged['sec_per_iter'] == 3.0  # median of 1, 3, 2, 4, 5
    assert merged['rows_per_sec'] == pytest.approx(4 / 3.0)
    assert merged['peak_mem_mib'] == 7.0
    failed = dict(method='crd', pair='p', error='ValueError: x')
    assert benchmark_distill.merge_rounds([rounds[0], failed]) is failed
