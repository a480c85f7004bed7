"""ImageNet configs (paper Table II): they load with the paper's recipe, and
configs/dccd/r34_r18_in1k.py trains two iterations on a generated ImageNet
folder through tools/train.py, then tools/test.py evaluates the result."""
import os
import os.path as osp
import re

import numpy as np
import pytest
from mmengine.config import Config
from PIL import Image

from tests.utils import run_tool

DCCD = 'configs/dccd/r34_r18_in1k.py'
TABLE_II = {
    'configs/dccd/r34_r18_in1k.py': ('kd', 'dkd', 'ccd'),
    'configs/dccd/r34_r18_in1k_ccd.py': ('ccd', ),
    'configs/dccd/r34_r18_in1k_ccd-kd.py': ('kd', 'ccd'),
    'configs/dccd/r34_r18_in1k_dkd-kd.py': ('kd', 'dkd'),
    'configs/dccd/r34_r18_in1k_star.py': ('kd', 'dkd', 'ccd'),
}


def write_imagenet(root, num_classes=2, per_class=2, size=40):
    """mmpretrain's ImageNet layout: train/<class>/*.JPEG, val/*.JPEG and
    meta/{train,val}.txt with '<relative path> <label>' lines."""
    rng = np.random.default_rng(0)
    lines = dict(train=[], val=[])
    for split in ('train', 'val'):
        for label in range(num_classes):
            for i in range(per_class):
                name = f'n{label:08d}_{i}.JPEG'
                rel = f'n{label:08d}/{name}' if split == 'train' else name
                path = osp.join(root, split, rel)
                os.makedirs(osp.dirname(path), exist_ok=True)
                pixels = rng.integers(0, 256, (size, size, 3), np.uint8)
                Image.fromarray(pixels).save(path, format='JPEG')
                lines[split].append(f'{rel} {label}')
    os.makedirs(osp.join(root, 'meta'))
    for split, rows in lines.items():
        with open(osp.join(root, 'meta', f'{split}.txt'), 'w') as f:
            f.write('\n'.join(rows) + '\n')


@pytest.mark.parametrize('path,terms', sorted(TABLE_II.items()))
def test_table_ii_configs_follow_the_paper(path, terms):
    cfg = Config.fromfile(path)
    assert cfg.model.type == 'DCCD' and tuple(cfg.model.terms) == terms
    assert cfg.model.alpha == 1.0 and cfg.model.tau == 4.0
    assert cfg.model.theta == 2.0 and cfg.model.beta is None  # 25.6 / 512
    assert cfg.model.teacher_feat_dim == 512
    assert cfg.model.teacher.backbone.depth == 34
    assert cfg.model.architecture.backbone.depth == 18
    assert 'init_cfg' not in cfg.model.architecture.backbone  # from scratch
    assert cfg.train_cfg.max_epochs == 100
    assert cfg.param_scheduler.milestones == [30, 60, 90]
    assert cfg.param_scheduler.gamma == 0.1
    optimizer = cfg.optim_wrapper.optimizer
    assert (optimizer.lr, optimizer.momentum, optimizer.weight_decay) == (
        0.1, 0.9, 1e-4)
    assert cfg.train_dataloader.batch_size == 32  # x 8 GPUs = 256
    views = cfg.train_dataloader.dataset.pipeline[1]
    assert views.type == 'DualView'
    assert views.transforms[0] == dict(type='RandomResizedCrop', scale=224)
    assert cfg.data_preprocessor.type == 'MultiViewClsDataPreprocessor'
    rotations = [t for t in views.transforms if t.type == 'RandomRotate90']
    assert bool(rotations) == path.endswith('_star.py')
    # CCD over the global batch of 8 x 32 images, whatever the GPU count
    # (inherited by the DKD+KD column too, where there is no CCD to gather)
    assert cfg.model.gather_distributed is True
    head = cfg.model.architecture.head.type
    assert head == ('UprightLinearClsHead' if path.endswith('_star.py') else
                    'LinearClsHead')


def test_kd_baseline_config():
    cfg = Config.fromfile('configs/kd/r34_r18_in1k.py')
    assert cfg.model.distiller.distill_losses.loss_kd.tau == 4
    assert cfg.model.distiller.distill_losses.loss_kd.loss_weight == 0.9
    assert cfg.model.architecture.head.loss.loss_weight == 0.1
    assert cfg.train_dataloader.dataset.pipeline[1].type == \
        'RandomResizedCrop'


def test_r34_r18_trains_two_iterations_and_tests(tmp_path):
    data_root = str(tmp_path / 'imagenet')
    write_imagenet(data_root)
    work_dir = str(tmp_path / 'work')
    options = [
        'model.teacher_ckpt=None',  # no download here
        'train_cfg.max_epochs=1',  # 4 images / batch 2 = 2 iterations
        'default_hooks.logger.interval=1',
    ]
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        options += [
            f'{loader}.dataset.data_root={data_root}',
            f'{loader}.batch_size=2', f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False'
        ]
    out = run_tool(['tools/train.py', DCCD, '--work-dir', work_dir,
                    '--cfg-options', *options], timeout=600).stdout
    assert re.search(r'Epoch\(train\)\s+\[1\]\[2/2\]', out), out[-3000:]
    for name in ('student.loss', 'distill.loss_kd', 'distill.loss_dkd',
                 'distill.loss_ccd'):
        assert name in out
    assert 'teacher.accuracy/top1' in out  # SingleTeacherDistillValLoop
    ckpt = osp.join(work_dir, 'epoch_1.pth')
    assert osp.isfile(ckpt)

    result = run_tool([
        'tools/test.py', DCCD, ckpt, '--work-dir',
        str(tmp_path / 'test'), '--cfg-options', *options
    ], timeout=600).stdout
    assert re.search(r'accuracy/top1: \d+\.\d+', result), result[-3000:]


@pytest.fixture(scope='module')
def imagenet(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('imagenet') / 'imagenet')
    write_imagenet(root)
    return root


#: The other Table II columns and the KD baseline: config -> (index of the
#: crop in the train pipeline, losses logged).
OTHER_CONFIGS = {
    'configs/dccd/r34_r18_in1k_ccd.py':
    ('1.transforms.0', ('student.loss', 'distill.loss_ccd')),
    'configs/dccd/r34_r18_in1k_ccd-kd.py':
    ('1.transforms.0', ('student.loss', 'distill.loss_kd',
                        'distill.loss_ccd')),
    'configs/dccd/r34_r18_in1k_dkd-kd.py':
    ('1.transforms.0', ('student.loss', 'distill.loss_kd',
                        'distill.loss_dkd')),
    'configs/dccd/r34_r18_in1k_star.py':
    ('1.transforms.0', ('student.loss', 'distill.loss_kd', 'distill.loss_dkd',
                        'distill.loss_ccd')),
    'configs/kd/r34_r18_in1k.py': ('1', ('student.loss', 'distill.loss_kd')),
}


@pytest.mark.parametrize('path', sorted(OTHER_CONFIGS))
def test_other_in1k_configs_train_one_iteration(path, imagenet, tmp_path):
    """One iteration of 2 images through tools/train.py with the real
    ResNet-34 / ResNet-18 (crops of 64 instead of 224, to keep it short);
    only the losses of the column's terms are logged."""
    crop, losses = OTHER_CONFIGS[path]
    work_dir = str(tmp_path / 'work')
    options = [
        'model.teacher_ckpt=None', 'train_cfg.max_epochs=1',
        'default_hooks.logger.interval=1',
        f'train_dataloader.dataset.pipeline.{crop}.scale=64',
        f'train_dataloader.dataset.data_root={imagenet}',
        'train_dataloader.dataset.indices=2', 'train_dataloader.batch_size=2',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False'
    ]
    out = run_tool(['tools/train.py', path, '--work-dir', work_dir,
                    '--no-validate', '--cfg-options', *options],
                   timeout=600).stdout
    assert re.search(r'Epoch\(train\)\s+\[1\]\[1/1\]', out), out[-3000:]
    logged = set(re.findall(r'(?:student|distill)\.loss\w*', out))
    assert logged == set(losses), out[-3000:]
    assert osp.isfile(osp.join(work_dir, 'epoch_1.pth'))
