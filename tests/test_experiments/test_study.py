"""The reproduction study on generated Fashion-MNIST: runs cached per
(setting, seed) and resumed, mean / std / SE over seeds, claims against
their noise, missing seeds reported, the pictures drawn."""
import glob
import math
import os.path as osp

import pytest
import torch

from mmdccd.experiments import demo, study
from tests.test_tools.fashion_mnist_files import write_fashion_mnist
from tests.utils import load_tool


def test_compare_is_welch_two_standard_errors():
    a = study._stats([1.0, 2.0, 3.0])  # mean 2, std 1, se 1/sqrt(3)
    b = study._stats([0.0, 0.0, 3.0])  # mean 1, std sqrt(3), se 1
    assert a['se'] == pytest.approx(1 / math.sqrt(3))
    c = study.compare(a, b)
    assert c['diff'] == pytest.approx(1.0)
    assert c['se'] == pytest.approx(math.sqrt(1 / 3 + 1))
    assert c['beyond_noise'] is False  # 1 < 2 * 1.155
    far = study.compare(study._stats([10.0, 10.5]), study._stats([1.0, 1.5]))
    assert far['beyond_noise'] is True
    assert study.compare(study._stats([1.0]), b)['diff'] is None


def test_settings_change_only_what_they_name():
    names = [s.name for s in study.GROUPS['accuracy']]
    assert names == ['student', 'kd', 'kd_2view', 'kd_dkd', 'ccd', 'ccd_kd',
                     'dccd']
    assert study.SETTINGS['kd_2view'].options == {'model.terms': ['kd']}
    assert study.SETTINGS['dccd'].options == {}
    assert study.SETTINGS['dccd_beta0.4'].options == {'model.beta': 0.4}
    assert study.SETTINGS['dccd_balanced'].options == {
        'model.beta': 'balanced'
    }
    assert set(study.CLAIMS) == set(study.GROUPS)
    for claims in study.CLAIMS.values():
        for _, claim_setting, ref in claims:
            for name in (claim_setting, ref):
                # a claim names a setting, or a choice (the candidate that
                # val chooses at seed 0), each of whose candidates is one
                assert name in study.SETTINGS or all(
                    c in study.SETTINGS for c in study.CHOICES[name])
    assert ("the paper's weight (0.4), lr 0.05", 'lr0.05_dccd_beta0.4',
            'lr0.05_dccd') in study.CLAIMS['beta_question']


def _fake_result(study_dir: str, setting: str, seed: int,
                 test_top1: float) -> None:
    import json
    import os
    path = study.run_dir(study_dir, setting, seed)
    os.makedirs(path)
    redundancy = dict(mean_abs_channel_corr=0.3, mean_dist_to_gm=0.9,
                      mean_instance_cosine=0.6)
    trace = [{'iter': i, 'student.loss': 1.0, 'distill.loss_ccd': 2.0}
             for i in (1, 20, 40)]
    with open(osp.join(path, 'result.json'), 'w') as f:
        json.dump(dict(val_top1=test_top1, test_top1=test_top1,
                       train_time_s=1.0, test_redundancy=redundancy,
                       loss_trace=trace,
                       redundancy_curve=[dict(iter=40, mean_dist_to_gm=0.9)]),
                  f)


def test_report_claims_read_a_reference_outside_the_group(tmp_path):
    """The beta group's claims compare with the demo's DCCD (an accuracy
    setting) at the beta group's seeds: seed 2 of DCCD is not read."""
    d = str(tmp_path / 'study')
    for seed, top1 in enumerate((88.0, 89.0, 50.0)):
        _fake_result(d, 'dccd', seed, top1)
    for seed, top1 in enumerate((81.0, 83.0)):
        _fake_result(d, 'dccd_beta0.4', seed, top1)
    paths = study.write_report(d, str(tmp_path / 'report'), ['beta'], [0, 1])
    text = open(paths['md']).read()
    row = next(line for line in text.splitlines()
               if line.startswith('| DCCD beta 0.4 against the demo'))
    # 82 - 88.5 = -6.5; SE: 81, 83 -> std sqrt(2), se 1; 88, 89 -> std
    # 1 / sqrt(2), se 1 / 2
    se = math.sqrt(1.0**2 + 0.5**2)
    assert f'| {-6.5:+.2f} ({se:.2f}) |' in row
    assert row.endswith('| yes / yes |')
    # a setting without runs has no claim figures, and is not averaged in
    balanced = next(line for line in text.splitlines()
                    if line.startswith("| DCCD beta 'balanced' against"))
    assert '| — | — |' in balanced


def test_probe_records_the_balanced_beta():
    from types import SimpleNamespace

    from mmdccd.models.algorithms.balanced_beta import BalancedBeta
    balanced = BalancedBeta(num_iters=2)
    balanced([torch.tensor(2.0), torch.tensor(4.0)], torch.tensor(30.0))
    balanced([torch.tensor(1.0), torch.tensor(1.0)], torch.tensor(10.0))
    balanced([torch.tensor(9.0), torch.tensor(9.0)], torch.tensor(1.0))
    probe = study.StudyProbe(trace_interval=1)
    probe.after_train(SimpleNamespace(model=SimpleNamespace(
        module=SimpleNamespace(balanced_beta=balanced))))
    assert probe.balanced_beta == pytest.approx((3 + 1) / (30 + 10))
    plain = study.StudyProbe(trace_interval=1)
    plain.after_train(SimpleNamespace(model=SimpleNamespace()))
    assert plain.balanced_beta is None


def test_study_runs_caches_and_reports(tmp_path, monkeypatch, capsys):
    data_root = write_fashion_mnist(str(tmp_path / 'fmnist'))
    tool = load_tool('analysis_tools/claims_study.py')
    common = [
        '--quick', '--data-root', data_root, '--work-dir',
        str(tmp_path / 'work'), '--cache-dir',
        str(tmp_path / 'cache'), '--study-dir',
        str(tmp_path / 'study'), '--settings', 'student', 'dccd'
    ]
    calls = []
    real_run = demo.run
    monkeypatch.setattr(
        demo, 'run',
        lambda cfg, stage, **kw: calls.append(stage) or real_run(
            cfg, stage, **kw))
    tool.main(['run', '--seeds', '0'] + common)
    # the teacher, then seed-major: every setting of seed 0 first
    assert calls[1:] == ['student seed 0', 'dccd seed 0']
    # cached: a second run trains only what is missing
    calls.clear()
    tool.main(['run', '--seeds', '0', '1'] + common[:-2] + ['dccd'])
    assert calls == ['dccd seed 1']  # the pinned teacher: no retraining
    pinned = torch.load(str(tmp_path / 'study' / 'teacher.pth'),
                        weights_only=True)
    assert any(k.startswith('backbone.') for k in pinned['state_dict'])
    result = study.load_result(str(tmp_path / 'study'), 'dccd', 1)
    assert result['seed'] == 1 and result['setting'] == 'dccd'
    # quick budget: 4 iterations, validation after 2 and 4
    assert [c['iter'] for c in result['redundancy_curve']] == [2, 4]
    assert [t['iter'] for t in result['loss_trace']][:4] == [1, 2, 3, 4]
    assert {'distill.loss_ccd', 'student.loss'} <= set(
        result['loss_trace'][0])
    assert 0.0 <= result['test_redundancy']['mean_abs_channel_corr'] <= 1.0
    # features of seed 0 only; no checkpoint kept
    assert osp.exists(
        osp.join(study.run_dir(str(tmp_path / 'study'), 'dccd', 0),
                 'test_features.pt'))
    assert not osp.exists(
        osp.join(study.run_dir(str(tmp_path / 'study'), 'dccd', 1),
                 'test_features.pt'))
    assert not glob.glob(str(tmp_path / 'study' / '*' / '*' / 'work' /
                             '*.pth'))

    # the report: mean / std over the finished seeds, the missing ones named
    paths = tool.main([
        'report', '--seeds', '0', '1', '--out-dir',
        str(tmp_path / 'report')
    ] + common)
    text = open(paths['md']).read()
    tests = [
        study.load_result(str(tmp_path / 'study'), 'dccd', k)['test_top1']
        for k in (0, 1)
    ]
    mean = sum(tests) / 2
    std = abs(tests[0] - tests[1]) / math.sqrt(2)
    row = next(line for line in text.splitlines()
               if line.startswith('| DCCD (KD + DKD + CCD) |'))
    assert '| 2 |' in row
    assert f'{mean:.2f} ± {std:.2f}' in row
    student_row = next(line for line in text.splitlines()
                       if line.startswith('| student alone (CE) |'))
    assert '| 1 (missing [1]) |' in student_row
    for pic in ('instance_similarity', 'channel_correlation', 'channel_tsne',
                'dist_to_gm_curve'):
        assert osp.getsize(paths[pic]) > 1000


def test_a_factor_with_its_own_teacher(tmp_path):
    """The width factor trains its teacher once with the demo's recipe, pins
    it beside the demo's, and distils from its network (d = 256), at the
    paper's rule and the demo's weight scaled the same way."""
    assert study.SETTINGS['wide_dccd_beta0.1'].options == {'model.beta': 0.1}
    assert study.SETTINGS['wide_dccd'].options == {'model.beta': 1.6 / 256}
    assert study.SETTINGS['wide_kd'].teacher == 'teacher_r8x4_fmnist'
    assert study.SETTINGS['long_dccd'].teacher == demo.TEACHER
    data_root = write_fashion_mnist(str(tmp_path / 'fmnist'))
    tool = load_tool('analysis_tools/claims_study.py')
    study_dir = str(tmp_path / 'study')
    tool.main([
        'run', '--quick', '--data-root', data_root, '--work-dir',
        str(tmp_path / 'work'), '--cache-dir',
        str(tmp_path / 'cache'), '--study-dir', study_dir, '--settings',
        'wide_dccd', '--seeds', '0'
    ])
    wide = torch.load(osp.join(study_dir, 'teacher_r8x4_fmnist.pth'),
                      weights_only=True)['state_dict']
    assert wide['head.fc.weight'].shape == (10, 256)
    default = torch.load(osp.join(study_dir, 'teacher.pth'),
                         weights_only=True)['state_dict']
    assert default['head.fc.weight'].shape == (10, 64)
    from mmengine.config import Config
    cfg = Config.fromfile(
        osp.join(study.run_dir(study_dir, 'wide_dccd', 0), 'work',
                 'dccd_r20_r8_fmnist.py'))
    assert cfg.model.teacher_feat_dim == 256
    assert cfg.model.teacher.backbone.widen == 4
    assert cfg.model.teacher_ckpt == osp.join(study_dir,
                                              'teacher_r8x4_fmnist.pth')
    assert cfg.model.beta == pytest.approx(1.6 / 256)
    assert cfg.model.architecture.backbone.depth == 8  # the same student
