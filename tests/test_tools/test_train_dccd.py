"""tools/train.py on a tiny DCCD config (CIFAR ResNets, generated data):
trains, validates student and teacher, saves, resumes; tools/test.py
evaluates; the student extracted from the checkpoint evaluates alone."""
import glob
import os.path as osp
import re

import pytest
import torch

from tests.utils import config_path, data_root_options, run_tool

CONFIG = config_path('tiny_dccd.py')
LOSSES = ('student.loss', 'distill.loss_kd', 'distill.loss_dkd',
          'distill.loss_ccd')


@pytest.fixture(scope='module')
def dccd_run(tmp_path_factory, image_folder):
    work_dir = str(tmp_path_factory.mktemp('tiny_dccd'))
    out = run_tool([
        'tools/train.py', CONFIG, '--work-dir', work_dir, '--cfg-options',
        *data_root_options(image_folder)
    ]).stdout
    return work_dir, out


def test_train_logs_all_four_losses_and_validates_both(dccd_run):
    work_dir, out = dccd_run
    for it in (1, 4):
        line = re.search(rf'Iter\(train\) \[{it}/4\].*', out).group(0)
        for name in LOSSES:
            assert re.search(rf'{re.escape(name)}: \d+\.\d+', line), line
    val = re.search(r'Iter\(val\) \[\d+/\d+\]\s+accuracy/top1.*', out)
    assert val and 'teacher.accuracy/top1' in val.group(0)
    # mmdccd's checkpoints need no unpickling
    state = torch.load(
        osp.join(work_dir, 'iter_4.pth'), weights_only=True)['state_dict']
    prefixes = {key.split('.')[0] for key in state}
    assert prefixes == {'architecture', 'teacher', 'distiller'}
    assert any(k.startswith('distiller.connectors.ccd_student') for k in state)


def test_teacher_accuracy_is_logged_before_the_first_iteration(dccd_run):
    _, out = dccd_run
    before = re.search(
        r'teacher on the validation set before training: '
        r'teacher.accuracy/top1: (\d+\.\d+)', out)
    assert before, out[-3000:]
    assert out.index(before.group(0)) < out.index('Iter(train) [1/4]')
    # the frozen teacher scores the same in mmrazor's validation loop at
    # iteration 4, a second, independent evaluation
    after = re.search(r'teacher.accuracy/top1: (\d+\.\d+)',
                      out[out.index('Iter(val)'):])
    assert float(before.group(1)) == pytest.approx(
        float(after.group(1)), abs=1e-4)


def test_resume_and_test(dccd_run, image_folder, tmp_path):
    work_dir, _ = dccd_run
    resumed = str(tmp_path / 'resumed')
    out = run_tool([
        'tools/train.py', CONFIG, '--work-dir', resumed, '--resume',
        osp.join(work_dir, 'iter_2.pth'), '--cfg-options',
        *data_root_options(image_folder)
    ]).stdout
    assert 'resumed epoch: 0, iter: 2' in out
    assert 'Iter(train) [3/4]' in out and 'Iter(train) [1/4]' not in out
    a = torch.load(osp.join(resumed, 'iter_4.pth'), weights_only=False)
    b = torch.load(osp.join(work_dir, 'iter_4.pth'), weights_only=False)
    for key, value in b['state_dict'].items():
        torch.testing.assert_close(a['state_dict'][key], value, msg=key)

    result = run_tool([
        'tools/test.py', CONFIG,
        osp.join(work_dir, 'iter_4.pth'), '--work-dir',
        str(tmp_path / 'test'), '--cfg-options',
        *data_root_options(image_folder)
    ]).stdout
    top1 = re.search(r'accuracy/top1: (\d+\.\d+)', result)
    assert top1, result[-2000:]

    student = str(tmp_path / 'student.pth')
    run_tool([
        'tools/model_converters/extract_student.py',
        osp.join(work_dir, 'iter_4.pth'), student
    ])
    keys = torch.load(student, weights_only=False)['state_dict']
    assert keys and not any(
        k.startswith(('teacher', 'distiller', 'architecture')) for k in keys)
    assert len(glob.glob(osp.join(work_dir, '*.pth'))) >= 2
