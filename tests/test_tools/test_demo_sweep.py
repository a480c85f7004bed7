"""tools/analysis_tools/demo_sweep.py --quick on generated Fashion-MNIST IDX
files: every setting is trained and scored on the val split, the best one
is chosen, and the test set is never evaluated."""
import json

from mmengine.runner import Runner

from mmdccd.experiments import demo, sweep
from tests.test_tools.fashion_mnist_files import write_fashion_mnist
from tests.utils import load_tool

demo_sweep = load_tool('analysis_tools/demo_sweep.py')


def test_quick_sweep_chooses_on_val_only(tmp_path, monkeypatch, capsys):
    data_root = write_fashion_mnist(str(tmp_path / 'fmnist'))
    # two settings a method keep the test short
    grids = {m: (cfg, grid[:2]) for m, (cfg, grid) in sweep.GRIDS.items()}
    monkeypatch.setattr(sweep, 'GRIDS', grids)
    tested = []
    original_test = Runner.test

    def test_spy(runner):
        tested.append(runner.experiment_name)
        return original_test(runner)

    monkeypatch.setattr(Runner, 'test', test_spy)
    result = demo_sweep.main([
        '--quick', '--data-root', data_root, '--work-dir',
        str(tmp_path / 'work'), '--cache-dir',
        str(tmp_path / 'cache'), '--precision', 'fp32'
    ])
    # only the (cached) teacher is ever tested, never a swept student
    assert len(tested) == 1 and tested[0].startswith('teacher_r20_fmnist')
    out = capsys.readouterr().out
    assert 'the test set was not used' in out
    with open(result['paths']['json']) as f:
        saved = json.load(f)
    assert saved['precision'] == 'fp32'
    for method, (_, grid) in grids.items():
        rows = saved['results'][method]
        assert [r['name'] for r in rows] == [name for name, _ in grid]
        for row, (_, overrides) in zip(rows, grid):
            assert row['overrides'] == overrides
            assert row['val_top1'] == row['curve'][-1][1]
        best = max(rows, key=lambda r: r['val_top1'])
        assert saved['chosen'][method] == best['name']
        assert f'chosen for {method}: {best["name"]}' in out


def test_overrides_reach_the_built_config(tmp_path):
    """Each override names a key of its demo config (a typo would add a
    new, unused key instead of changing the weight)."""
    for method, (config, grid) in sweep.GRIDS.items():
        for _, overrides in grid:
            cfg = demo.build_cfg(config, '/data', str(tmp_path), quick=True)
            for key in overrides:
                node = cfg
                for part in key.split('.'):
                    assert part in node, (method, key)
                    node = node[part]
