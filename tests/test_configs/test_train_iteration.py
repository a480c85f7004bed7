"""One training iteration of every distinct (method, data variant, teacher
family, student family) of the CIFAR-100 configs, on CIFAR-format pickles
written to a temporary folder (8 train images, batch 2)."""
import collections
import os.path as osp
import re

import pytest
import torch

from tests.test_configs.config_utils import (build_model, cifar_configs,
                                             family, load, parse_name,
                                             tiny_train_loader_cfg,
                                             write_tiny_cifar100)

#: Suffixes that change the data (and so get their own iteration); other
#: suffixes (terms, theta, distance, transforms) only change loss arguments
#: already exercised by the DCCD unit tests and by test_config_files.py.
DATA_VARIANTS = ('star', 'mixup', 'randaugment', 'randerasing',
                 'dualview')
METHOD_FOLDERS = ('configs/vanilla', 'configs/kd', 'configs/crd',
                  'configs/dccd', 'configs/dccd/ablations')


def _families():
    reps = collections.OrderedDict()
    for path in cifar_configs():
        folder = osp.dirname(path)
        if folder not in METHOD_FOLDERS:
            continue
        name = parse_name(path)
        variant = name['suffix'] if name['suffix'] in DATA_VARIANTS else ''
        if re.fullmatch(r't-mlp_s-(linear|mlp)', name['suffix']):
            variant = 'teacher-transform'
        method = 'dccd' if folder.startswith('configs/dccd') else \
            osp.basename(folder)
        key = (method, variant, family(name['teacher']),
               family(name['student']))
        reps.setdefault(key, path)
    return list(reps.values())


@pytest.fixture(scope='module')
def cifar_root(tmp_path_factory):
    return write_tiny_cifar100(str(tmp_path_factory.mktemp('cifar100')))


def _expected_losses(cfg) -> set:
    model = cfg.model
    if model.get('type') == 'ImageClassifier':
        return {'loss'}
    if model.get('type') == 'DCCD':
        return {'student.loss'} | {f'distill.loss_{t}' for t in model.terms}
    return {'student.loss'} | {
        f'distill.{name}'
        for name in model.distiller.distill_losses
    }


class _NoRandomNegatives:
    """Stands in for mmrazor's 50,000-entry alias table (1.5 s to build):
    with CRDSampleDataset's indices, CRDLoss must never draw negatives
    itself."""

    def __init__(self, probs):
        self.size = len(probs)

    def draw(self, n):
        raise AssertionError('CRDLoss drew its own (label-blind) negatives: '
                             'contrast_sample_idxs did not reach the loss')


@pytest.mark.parametrize('path', _families())
def test_one_training_iteration(path, cifar_root, monkeypatch):
    import mmdccd  # noqa: F401
    import mmdccd.datasets.crd_sample  # noqa: F401
    import mmdccd.datasets.transforms.rotate90  # noqa: F401
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import DefaultScope
    from mmengine.runner import Runner

    from mmrazor.models.losses import crd_loss
    monkeypatch.setattr(crd_loss, 'AliasMethod', _NoRandomNegatives)

    torch.manual_seed(0)
    cfg = load(path)
    model = build_model(cfg)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        loader = Runner.build_dataloader(
            tiny_train_loader_cfg(cfg, cifar_root, batch_size=2), seed=0)
        optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    data = next(iter(loader))

    # the batch the model trains on: V views x 2 images, view-major
    views = getattr(model.data_preprocessor, 'num_views', 1)
    rows = model.data_preprocessor(data, True)['inputs']
    assert rows.shape == (views * 2, 3, 32, 32)
    assert views == (2 if cfg.model.get('type') == 'DCCD' else 1)

    student = getattr(model, 'student', model)
    teacher = getattr(model, 'teacher', None)
    student_before = [p.detach().clone() for p in student.parameters()]
    teacher_before = None if teacher is None else [
        p.detach().clone() for p in teacher.parameters()
    ]

    model.train()
    log_vars = model.train_step(data, optim_wrapper)

    losses = {k for k in log_vars if k.endswith('loss') or 'loss_' in k}
    assert _expected_losses(cfg) <= losses, (path, sorted(log_vars))
    assert all(torch.isfinite(torch.as_tensor(v)) for v in log_vars.values())
    # SGD moved the student's weights; the frozen teacher did not move
    assert any(not torch.equal(a, b)
               for a, b in zip(student_before, student.parameters()))
    if teacher_before is not None:
        assert all(
            torch.equal(a, b)
            for a, b in zip(teacher_before, teacher.parameters()))


def test_runner_keeps_last_and_best_checkpoint(cifar_root, tmp_path):
    """Through mmengine's Runner (what tools/train.py runs): one epoch of
    DCCD on the generated data, validation with the student's and the
    teacher's top-1, and the checkpoint hook keeping the last epoch and the
    best student top-1."""
    import mmdccd  # noqa: F401
    from mmengine.runner import Runner

    from tests.test_configs.config_utils import innermost_dataset
    cfg = load('configs/dccd/r56_r20_c100.py')
    cfg.work_dir = str(tmp_path)
    cfg.model.teacher_ckpt = None
    cfg.train_cfg.max_epochs = 1
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg[name]
        loader.update(batch_size=4, num_workers=0, persistent_workers=False)
        innermost_dataset(loader.dataset).update(
            data_root=cifar_root, verify_md5=False)
    runner = Runner.from_cfg(cfg)
    runner.train()
    logged = set(runner.message_hub.log_scalars)
    assert {'val/accuracy/top1', 'val/teacher.accuracy/top1'} <= logged
    files = sorted(p.name for p in tmp_path.iterdir() if p.suffix == '.pth')
    # 8 images, batch 4: 2 iterations, then validation on the 4 test images
    assert files == ['best_accuracy_top1_epoch_1.pth', 'epoch_1.pth']
    assert runner.iter == 2
