"""tools/demo.py --quick on generated Fashion-MNIST IDX files."""
import json
import os.path as osp

from mmdccd.experiments import demo as demo_lib
from tests.test_tools.fashion_mnist_files import write_fashion_mnist
from tests.utils import load_tool

demo = load_tool('demo.py')


def test_demo_quick(tmp_path, capsys):
    data_root = write_fashion_mnist(str(tmp_path / 'fmnist'))
    argv = [
        '--quick', '--data-root', data_root, '--work-dir',
        str(tmp_path / 'work'), '--cache-dir',
        str(tmp_path / 'cache')
    ]
    result = demo.main(argv)
    out = capsys.readouterr().out
    methods = ('student alone (CE)', 'KD', 'DCCD')
    table = out[out.index('| method |'):]
    for method in methods:
        assert f'| {method} |' in table
    assert osp.getsize(result['paths']['png']) > 1000
    with open(result['paths']['json']) as f:
        saved = json.load(f)
    assert set(saved['methods']) == set(methods)
    # bfloat16 autocast exactly where this CPU computes bfloat16 natively
    from mmdccd.engine.optimizers import cpu_supports_bf16
    assert saved['precision'] == ('bf16' if cpu_supports_bf16() else 'fp32')
    for r in saved['methods'].values():
        # validation after iterations 2 and 4 (QUICK), accuracies in %
        assert [it for it, _ in r['curve']] == [2, 4]
        assert 0.0 <= r['test_top1'] <= 100.0
        assert r['val_top1'] == r['curve'][-1][1]
        # the redundancy column: mean |rho| of the student's test channels
        rho = r['test_redundancy']['mean_abs_channel_corr']
        assert 0.0 <= rho <= 1.0
    for method in methods:
        row = next(line for line in table.splitlines()
                   if line.startswith(f'| {method} |'))
        rho = saved['methods'][method]['test_redundancy'][
            'mean_abs_channel_corr']
        assert f'| {rho:.3f} |' in row
    assert osp.getsize(result['paths']['correlation']) > 1000
    # the teacher is cached and reused by the next run
    assert osp.exists(saved['teacher_checkpoint'])
    assert saved['teacher_checkpoint'].startswith(str(tmp_path / 'cache'))
    # (keyed by the config and the training files the run read)
    used_root = saved['data_root']
    other = demo_lib.build_cfg(demo_lib.TEACHER, used_root,
                               str(tmp_path / 'o'), quick=True,
                               precision=saved['precision'])
    key = demo_lib.teacher_key(other, used_root)
    assert key in saved['teacher_checkpoint']
