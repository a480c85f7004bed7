"""The study's ccs and pdd groups on generated Fashion-MNIST: the CCS weight
chosen on val at seed 0 and only the chosen one run at other seeds; a PDD
run pruned exactly (fewer parameters, the masked student's outputs), fine-
tuned and measured; matched pruning; the PDD report's numbers."""
import json
import math
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmpretrain.registry import MODELS

import mmdccd  # noqa: F401
from mmdccd.experiments import demo, pdd_study, study
from tests.test_tools.fashion_mnist_files import write_fashion_mnist
from tests.utils import load_tool


def pin_random_teachers(study_dir: str, names) -> None:
    """Pinned teachers with random weights: no teacher training in tests."""
    for name in names:
        cfg = Config.fromfile(osp.join(demo.CONFIG_DIR, name + '.py'))
        net = MODELS.build(cfg.model)
        ckpt, info = study._teacher_files(study_dir, name)
        os.makedirs(study_dir, exist_ok=True)
        torch.save(dict(state_dict=net.state_dict()), ckpt)
        with open(info, 'w') as f:
            json.dump(dict(test_top1=0.0, val_top1=0.0), f)


def write_result(study_dir: str, name: str, seed: int, **result) -> None:
    path = osp.join(study.run_dir(study_dir, name, seed), 'result.json')
    os.makedirs(osp.dirname(path), exist_ok=True)
    base = dict(setting=name, seed=seed, val_top1=0.0, test_top1=0.0,
                train_time_s=1.0, loss_trace=[dict(iter=1, loss=1.0)],
                redundancy_curve=[],
                test_redundancy=dict(mean_abs_channel_corr=0.3,
                                     mean_dist_to_gm=1.0,
                                     mean_instance_cosine=0.5))
    with open(path, 'w') as f:
        json.dump(dict(base, **result), f)


def test_ccs_settings_change_only_the_weight():
    assert study.CHOICES['ccs'] == ('ccs_w0.1', 'ccs_w1', 'ccs_w10',
                                    'ccs_w100')
    for w in (0.1, 1, 10, 100):
        for name, config in (('ccs', study.CCS_CONFIG),
                             ('ccs_kd', study.CCS_KD_CONFIG)):
            s = study.SETTINGS[f'{name}_w{w}']
            assert s.config == config and s.teacher == demo.TEACHER
            assert s.options == {
                'model.distiller.distill_losses.loss_ccs.loss_weight':
                float(w)
            }
    plain = Config.fromfile(osp.join(demo.CONFIG_DIR,
                                     study.CCS_CONFIG + '.py'))
    with_kd = Config.fromfile(
        osp.join(demo.CONFIG_DIR, study.CCS_KD_CONFIG + '.py'))
    kd = Config.fromfile(osp.join(demo.CONFIG_DIR, study.KD + '.py'))
    # CE + CCS has no KD term; CCS + KD is the demo's KD plus CCS
    assert set(plain.model.distiller.distill_losses) == {'loss_ccs'}
    assert set(with_kd.model.distiller.distill_losses) == {
        'loss_kd', 'loss_ccs'
    }
    assert with_kd.model.distiller.distill_losses.loss_kd == \
        kd.model.distiller.distill_losses.loss_kd
    assert with_kd.model.architecture == kd.model.architecture


def test_the_weight_is_chosen_on_val_at_seed_0(tmp_path, monkeypatch):
    study_dir = str(tmp_path)
    settings = study.GROUPS['ccs']
    ran = []
    monkeypatch.setattr(
        study, 'run_setting', lambda s, k, *a, **kw: ran.append(
            (s.name, k)) or write_result(study_dir, s.name, k, val_top1={
                'ccs_w0.1': 79.0, 'ccs_w1': 80.0, 'ccs_w10': 85.0,
                'ccs_w100': 70.0, 'ccs_kd_w0.1': 85.0, 'ccs_kd_w1': 86.0,
                'ccs_kd_w10': 84.0, 'ccs_kd_w100': 60.0
            }.get(s.name, 0.0), test_top1=90.0))
    with pytest.raises(ValueError, match='add 0 to --seeds'):
        study.run_study(settings, [1], None, study_dir)
    assert study.chosen_setting(study_dir, 'ccs') is None
    study.run_study(settings, [0, 1], None, study_dir)
    # seed 0: every candidate; seed 1: the best val of each choice alone
    assert ran == [(s.name, 0) for s in settings] + [('ccs_w10', 1),
                                                     ('ccs_kd_w1', 1)]
    assert study.chosen_setting(study_dir, 'ccs') == 'ccs_w10'
    assert study.chosen_setting(study_dir, 'ccs_kd') == 'ccs_kd_w1'
    # the test set chooses nothing: a better test top-1 changes no choice
    write_result(study_dir, 'ccs_w100', 0, val_top1=70.0, test_top1=99.0)
    assert study.chosen_setting(study_dir, 'ccs') == 'ccs_w10'

    for name in ('student', 'kd', 'ccd', 'ccd_kd', 'dccd'):
        for k in (0, 1):
            write_result(study_dir, name, k, val_top1=80.0 + k)
    paths = study.write_report(study_dir, str(tmp_path / 'report'), ['ccs'],
                               [0, 1])
    text = open(paths['md']).read()
    sweep = text[text.index('### weights chosen on val'):]
    assert '| CE + CCS, weight 10 | 85.00 | 90.00 | yes |' in sweep
    assert '| CE + CCS, weight 1 | 80.00 | 90.00 |  |' in sweep
    table = text[:text.index('### weights chosen on val')]
    # the chosen ones over both seeds beside the references; no candidate
    # that was not chosen in the group's table
    assert '| CE + CCS, weight 10 | 2 |' in table
    assert 'weight 100' not in table and '| student alone (CE) | 2 |' in table
    claims = text[text.index('### claims'):]
    assert 'CE + CCS, weight 10 vs student alone (CE)' in claims
    assert 'DCCD (KD + DKD + CCD) vs CCS + KD, weight 1' in claims


def test_a_ccs_run_trains_its_term(tmp_path):
    data_root = write_fashion_mnist(str(tmp_path / 'fmnist'))
    study_dir = str(tmp_path / 'study')
    pin_random_teachers(study_dir, [demo.TEACHER])
    load_tool('analysis_tools/claims_study.py').main([
        'run', '--quick', '--data-root', data_root, '--work-dir',
        str(tmp_path / 'work'), '--cache-dir',
        str(tmp_path / 'cache'), '--study-dir', study_dir, '--settings',
        'ccs_w10', '--seeds', '0'
    ])
    result = study.load_result(study_dir, 'ccs_w10', 0)
    first = result['loss_trace'][0]
    assert set(first) == {'iter', 'loss', 'student.loss',
                          'distill.loss_ccs'}
    assert math.isfinite(first['distill.loss_ccs'])


def tiny_masked(seed: int = 0):
    torch.manual_seed(seed)
    cfg = Config.fromfile(
        osp.join(demo.CONFIG_DIR, 'pdd_kd_r56_r20pdd_fmnist.py'))
    return MODELS.build(cfg.model.architecture)


def test_matched_pruning_closes_the_lowest_masks(monkeypatch):
    student = tiny_masked()
    masks = pdd_study._masks(student)
    values = torch.cat([m.m.detach() for m in masks.values()])
    seen = []

    def closed_now(model, loader, preprocessor=None):
        gates = torch.cat([m.m.detach() < 0 for m in masks.values()])
        seen.append(gates.clone())
        return float(gates.sum())

    monkeypatch.setattr(pdd_study, 'top1', closed_now)
    rows = pdd_study.matched_pruning(student, dict(val=None), (0.25, 0.5))
    n = len(values)
    assert [r['channels_removed'] for r in rows] == [round(n / 4),
                                                     round(n / 2)]
    assert [r['val_top1'] for r in rows] == [round(n / 4), round(n / 2)]
    # exactly the lowest m were closed (an independent sort)
    lowest = sorted(range(n), key=lambda i: float(values[i]))[:round(n / 2)]
    assert set(torch.nonzero(seen[1]).flatten().tolist()) == set(lowest)
    # and the masks are restored
    assert torch.equal(torch.cat([m.m.detach() for m in masks.values()]),
                       values)


def test_both_arms_start_from_the_same_masks():
    """The KD and DCCD arms build the same student first, so the same seed
    gives the same masks (the runs check it again at iteration 0)."""
    from mmengine.runner import set_random_seed

    from mmrazor.registry import MODELS as RAZOR
    states = []
    for arm in ('kd', 'dccd'):
        cfg = Config.fromfile(
            osp.join(demo.CONFIG_DIR, f'pdd_{arm}_r56_r20pdd_fmnist.py'))
        set_random_seed(3)
        model = RAZOR.build(cfg.model)
        states.append(pdd_study.mask_state(model.student))
    assert states[0] == states[1]
    assert 0.0 < states[0]['closed_fraction'] < 1.0


def test_a_pdd_run_prunes_exactly_and_is_measured(tmp_path):
    data_root = write_fashion_mnist(str(tmp_path / 'fmnist'))
    study_dir = str(tmp_path / 'study')
    pin_random_teachers(study_dir, [demo.TEACHER, study.PDD_TEACHER])
    load_tool('analysis_tools/claims_study.py').main([
        'run', '--quick', '--data-root', data_root, '--work-dir',
        str(tmp_path / 'work'), '--cache-dir',
        str(tmp_path / 'cache'), '--study-dir', study_dir, '--settings',
        'pdd_dccd', '--seeds', '0'
    ])
    pdd = study.load_result(study_dir, 'pdd_dccd', 0)['pdd']
    # the study's runs all distil from the eager teacher
    cfg = Config.fromfile(
        osp.join(study.run_dir(study_dir, 'pdd_dccd', 0), 'work',
                 'pdd_dccd_r56_r20pdd_fmnist.py'))
    assert cfg.model.fast_teacher is False
    c = pdd['complexity']
    assert c['params_after'] < c['params_before']
    assert c['params_removed'] == pytest.approx(
        1 - c['params_after'] / c['params_before'])
    # the pruned student computes what the masked one does (eval mode)
    # (float32 rounding of reordered sums: relative to the logits' size)
    assert pdd['pruned_max_abs_logit_diff'] <= 1e-5 * max(
        1.0, pdd['max_abs_logit'])
    # (the same top-1, but for a near-tie argmax flipped by float rounding:
    # 4 iterations from a random teacher leave near-equal logits)
    for split, images in (('val', demo.QUICK['val']),
                          ('test', demo.QUICK['test'])):
        assert abs(pdd['pruned_before_finetune'][f'{split}_top1'] -
                   pdd['masked'][f'{split}_top1']) <= 100 / images + 1e-9
    closed = pdd['final_masks']['closed_fraction']
    assert 0.0 < closed < 1.0
    n = pdd['initial_masks']['channels']
    assert [r['channels_removed'] for r in pdd['matched_pruning']] == [
        round(f * n) for f in pdd_study.MATCHED_FRACTIONS
    ]
    assert 0.0 <= pdd['finetune']['test_top1'] <= 100.0
    widths = pdd['complexity']['group_widths']
    assert sum(widths.values()) == round((1 - closed) * n)
    assert not any(
        name.endswith('.pth')
        for _, _, names in os.walk(study.run_dir(study_dir, 'pdd_dccd', 0))
        for name in names)


def fake_pdd(closed_end: float, test: float, checksum: str) -> dict:
    return dict(
        initial_masks=dict(closed_fraction=0.5, checksum=checksum),
        final_masks=dict(closed_fraction=closed_end),
        complexity=dict(params_removed=closed_end, flops_removed=closed_end,
                        thop_flops_removed=closed_end),
        masked=dict(val_top1=test, test_top1=test),
        pruned_before_finetune=dict(val_top1=test, test_top1=test),
        finetune=dict(iters=200, lr=0.01, val_top1=test + 1,
                      test_top1=test + 1),
        matched_pruning=[
            dict(fraction=0.5, channels_removed=10, val_top1=test - 5,
                 test_top1=test - 5)
        ])


def test_the_pdd_report_answers_the_question(tmp_path):
    study_dir = str(tmp_path)
    closed = dict(pdd_kd=(0.60, 0.62, 0.64), pdd_dccd=(0.50, 0.51, 0.52),
                  pdd_authors=(0.7, 0.7, 0.7))
    for name, values in closed.items():
        for k, v in enumerate(values):
            write_result(study_dir, name, k,
                         pdd=fake_pdd(v, 80.0 + k, f'seed{k}'))
    for k, v in enumerate((84.0, 85.0, 86.0)):
        write_result(study_dir, 'pdd_kd_dense', k, test_top1=v)
    paths = study.write_report(study_dir, str(tmp_path / 'report'), ['pdd'],
                               [0, 1, 2])
    text = open(paths['md']).read()
    # top-1 change, KD: fine-tuned 81-83 (mean 82, std 1) minus dense 84-86
    se = math.sqrt(1**2 / 3 + 1**2 / 3)
    assert (f'| PDD, KD (two views) | 82.00 ± 1.00 | 85.00 ± 1.00 | '
            f'{-3.0:+.2f} ({se:.2f}) |') in text
    # closed at end, DCCD minus KD: means 51 and 62 (%), stds 1 and 2
    se = math.sqrt(1**2 / 3 + 2**2 / 3)
    assert f'| closed at end (%) | {-11.0:+.2f} ({se:.2f}) | yes |' in text
    assert '| PDD, KD (two views) | 3 | 50.0 ± 0.0 | 62.0 ± 2.0 |' in text
    assert 'identical masks (iteration 0, checksum of every m) at 3 of 3' \
        in text
    assert 'CE alone, 200 iterations at lr 0.01' in text
    # matched pruning: the same accuracies in both arms, no difference
    se = math.sqrt(2 / 3)  # both arms: std 1 over 3 seeds
    assert f'| matched 50 % removed, test top-1 | +0.00 ({se:.2f}) | no |' \
        in text


def test_the_committed_ccs_and_pdd_tables_are_the_reports(tmp_path):
    """docs/study.md's ccs and pdd tables are what ``report`` makes of the
    committed runs, row for row, with no run missing."""
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    paths = study.write_report(
        osp.join(root, 'docs', 'study', 'runs'), str(tmp_path), ['ccs', 'pdd'],
        [0, 1, 2])
    rows = [
        line for line in open(paths['md']).read().splitlines()
        if line.startswith('| ')
    ]
    with open(osp.join(root, 'docs', 'study.md')) as f:
        doc = set(f.read().splitlines())
    assert len(rows) > 60
    assert [row for row in rows if row not in doc] == []
    assert not any('missing' in row for row in rows)
