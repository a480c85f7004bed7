"""The cross-model transfer configs (paper Table IV) end to end on generated
files in the real formats: the L-Net teacher on a Tiny-ImageNet-200 tree, the
CCD-only ab-Net student on STL-10 ``unlabeled_X.bin`` with the teacher's
checkpoint, and the linear probes on STL-10 ``train``/``test`` with the
student's checkpoint, all through ``tools/train.py`` / ``tools/test.py``
(their ``main`` called in this process, to keep the test fast)."""
import os.path as osp
import re

import numpy as np
import pytest
import torch
from mmengine.config import Config

import mmdccd  # noqa: F401  (compat + registries)
# Register the neck even before mmdccd.models imports mmdccd.models.necks.
import mmdccd.models.necks.adaptive_pool_flatten  # noqa: F401
from tests.test_datasets.writers import write_stl10, write_tiny_imagenet
from tests.utils import REPO_ROOT, load_tool

CFG_DIR = osp.join(REPO_ROOT, 'configs', 'cross_model')
STAGES = {1: (64, 8), 2: (128, 6), 3: (256, 4), 4: (512, 3)}
# The configs use 64x64 images; tests shrink the crops to 32 (4x less
# compute) through the same --cfg-options a user would pass.
SIZE = 32
SMALL_IMAGES = {
    'lnet': ['train_dataloader.dataset.pipeline.1.crop_size=32'],
    'ccd': ['train_dataloader.dataset.pipeline.0.transforms.0.scale=32'],
    'crd': ['train_dataloader.dataset.dataset.pipeline.0.scale=32'],
    'probe': [
        'train_dataloader.dataset.pipeline.0.scale=(32,32)',
        'train_dataloader.dataset.pipeline.1.crop_size=32',
        'val_dataloader.dataset.pipeline.0.scale=(32,32)',
    ],
}
PROBES = [f'probe_{kind}abnet_stage{k}_stl10_lab.py'
          for kind in ('', 'random_', 'crd_') for k in STAGES]
# Runs through tools/train.py: every stage of the CCD probe and stage 1 of
# the two baselines; the other baseline configs differ from those only in
# the backbone's init_cfg and are built and initialised in-process (a
# Runner a config would double the test time).
PROBES_TRAINED = PROBES[:5] + PROBES[8:9]
PROBES_BUILT = [p for p in PROBES if p not in PROBES_TRAINED]


def tool(name):
    return load_tool(f'{name}.py', f'_cross_model_{name}')


def short_run_options(work_dir, iters=1, batch=2):
    """Overrides for a short CPU run: one epoch of ``iters`` iterations (the
    first ``iters * batch`` images), a checkpoint at its end, no worker
    processes."""
    opts = [
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=1000',
        f'train_dataloader.dataset.indices={iters * batch}',
        'default_hooks.logger.interval=1', 'randomness.seed=0',
        # unique per run: mmengine keys its logger and visualizer by it
        'experiment_name=' + '_'.join(work_dir.split(osp.sep)[-2:])
    ]
    for loader in ('train_dataloader', 'val_dataloader'):
        opts += [
            f'{loader}.batch_size={batch}', f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False'
        ]
    return opts


def train(config, work_dir, *options, iters=1, batch=2):
    argv = [osp.join(CFG_DIR, config), '--work-dir', str(work_dir),
            '--cfg-options',
            *short_run_options(str(work_dir), iters, batch), *options]
    # the distillation has no val loader: drop the val loader overrides
    cfg = Config.fromfile(argv[0])
    if cfg.get('val_dataloader') is None:
        argv = [a for a in argv if not a.startswith('val_dataloader.')]
    # a dataset wrapper (CRD's): the subset is taken of the wrapped dataset
    if 'dataset' in cfg.train_dataloader.dataset:
        argv = [a.replace('train_dataloader.dataset.indices=',
                          'train_dataloader.dataset.dataset.indices=')
                for a in argv]
    tool('train').main(argv)
    ckpt = osp.join(work_dir, 'epoch_1.pth')
    assert osp.isfile(ckpt), f'no checkpoint {ckpt}'
    return ckpt


# ------------------------------------------------------------- data ------
@pytest.fixture(scope='module')
def tiny_imagenet(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('tin') / 'tiny-imagenet-200')
    # 200 classes as the real set (the L-Net's head is checked against
    # them); the short runs read the first images only
    wnids = ['n02', 'n01', 'n03'] + [f'n1{k:03d}' for k in range(197)]
    colours = {'n01': (200, 30, 30), 'n02': (30, 200, 30),
               'n03': (30, 30, 200)}
    colours.update({w: (k, 128, 255 - k) for k, w in enumerate(wnids[3:])})
    return write_tiny_imagenet(root, wnids, colours, num_train=2,
                               val=[('val_0.JPEG', 'n01'),
                                    ('val_1.JPEG', 'n03')])


@pytest.fixture(scope='module')
def stl10(tmp_path_factory):
    rng = np.random.default_rng(0)

    def images(n):
        return rng.integers(0, 256, (n, 96, 96, 3), dtype=np.uint8)

    root = str(tmp_path_factory.mktemp('stl10'))
    test_labels = [1, 2, 3, 10, 5]
    return write_stl10(
        root,
        splits=dict(train=images(4), test=images(5), unlabeled=images(4)),
        labels=dict(train=[1, 2, 3, 4], test=test_labels))


#: CRD on the 4 generated unlabelled images: memory banks of 4 rows and 3
#: negatives a sample (the configs: 100,000 and 16384).
CRD_SMALL = ['model.distiller.distill_losses.loss_crd.sample_n=4',
             'model.distiller.distill_losses.loss_crd.neg_num=3',
             'train_dataloader.dataset.neg_num=3']


@pytest.fixture(scope='module')
def runs(tmp_path_factory, tiny_imagenet, stl10):
    """Teacher (1 iteration) -> its checkpoint as teacher_ckpt of the
    CCD-only and of the CRD-only distillation (1 iteration each) -> the
    student checkpoints."""
    root = tmp_path_factory.mktemp('runs')
    teacher = train('lnet_r18_tinyin200_lab.py', root / 'lnet',
                    f'train_dataloader.dataset.data_root={tiny_imagenet}',
                    f'val_dataloader.dataset.data_root={tiny_imagenet}',
                    *SMALL_IMAGES['lnet'])
    student = train('ccd_lnet_abnet_stl10_lab.py', root / 'ccd',
                    f'train_dataloader.dataset.data_root={stl10}',
                    f'model.teacher_ckpt={teacher}', *SMALL_IMAGES['ccd'])
    crd = train('crd_lnet_abnet_stl10_lab.py', root / 'crd',
                f'train_dataloader.dataset.dataset.data_root={stl10}',
                f'model.teacher_ckpt={teacher}', *SMALL_IMAGES['crd'],
                *CRD_SMALL)
    return dict(teacher=teacher, student=student, crd=crd, root=root)


def load_state(path):
    return torch.load(path, map_location='cpu',
                      weights_only=False)['state_dict']


# ------------------------------------------------------------- tests -----
def test_configs_encode_the_protocol():
    lnet = Config.fromfile(osp.join(CFG_DIR, 'lnet_r18_tinyin200_lab.py'))
    assert lnet.model.backbone.channels == [0]
    assert lnet.model.backbone.backbone.in_channels == 1
    assert lnet.model.head.num_classes == 200
    ccd = Config.fromfile(osp.join(CFG_DIR, 'ccd_lnet_abnet_stl10_lab.py'))
    assert ccd.model.terms == ('ccd', )
    assert ccd.model.calculate_student_loss is False
    assert ccd.model.architecture.backbone.channels == [1, 2]
    assert ccd.model.teacher == lnet.model  # loads the L-Net checkpoint
    assert ccd.train_dataloader.dataset.split == 'unlabeled'
    views = ccd.train_dataloader.dataset.pipeline[0]
    assert views.type == 'DualView'
    assert views.transforms[-1].type == 'RGBToLab'  # after the crops
    crd = Config.fromfile(osp.join(CFG_DIR, 'crd_lnet_abnet_stl10_lab.py'))
    assert crd.model.type == 'FrozenTeacherDistill'
    assert crd.model.calculate_student_loss is False
    assert crd.model.architecture == ccd.model.architecture
    assert crd.model.teacher == lnet.model
    assert list(crd.model.distiller.distill_losses) == ['loss_crd']
    crd_loss = crd.model.distiller.distill_losses.loss_crd
    assert (crd_loss.sample_n, crd_loss.neg_num) == (100000, 16384)
    data = crd.train_dataloader.dataset
    assert data.type == 'CRDSampleDataset'
    assert data.sample_mode == 'instance' and data.neg_num == 16384
    assert data.dataset.split == 'unlabeled'
    assert data.dataset.pipeline[-2].type == 'RGBToLab'
    # the same recipe as the CCD student: only the objective differs
    for key in ('optim_wrapper', 'param_scheduler', 'train_cfg'):
        assert crd[key] == ccd[key]
    for k, (channels, grid) in STAGES.items():
        probe = Config.fromfile(
            osp.join(CFG_DIR, f'probe_abnet_stage{k}_stl10_lab.py'))
        assert probe.model.backbone.backbone.out_indices == (k - 1, )
        assert probe.model.head.in_channels == channels * grid * grid
        assert probe.train_dataloader.dataset.split == 'train'
        assert probe.test_dataloader.dataset.split == 'test'


@pytest.mark.parametrize('run', ['student', 'crd'])
def test_teacher_and_distillation_checkpoints(runs, run):
    teacher = load_state(runs['teacher'])
    assert teacher['backbone.backbone.conv1.weight'].shape == (64, 1, 3, 3)
    assert teacher['head.fc.weight'].shape == (200, 512)
    student = load_state(runs[run])
    # the frozen teacher is the L-Net checkpoint, unchanged by distillation
    for key, value in teacher.items():
        torch.testing.assert_close(student[f'teacher.{key}'], value)
    assert student['architecture.backbone.backbone.conv1.weight'].shape == \
        (64, 2, 3, 3)


def test_ccd_only_losses(stl10):
    """One batch through the built distillation: the only loss is
    distill.loss_ccd, and the student's head gets no gradient."""
    from mmrazor.registry import MODELS
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import DATASETS
    from mmengine.dataset import default_collate
    cfg = Config.fromfile(osp.join(CFG_DIR, 'ccd_lnet_abnet_stl10_lab.py'))
    init_default_scope('mmpretrain')
    cfg.model.teacher_ckpt = None
    model = MODELS.build(cfg.model)
    model.train()
    cfg.train_dataloader.dataset.data_root = stl10
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    data = model.data_preprocessor(
        default_collate([dataset[0], dataset[1]]), training=True)
    # two views of 2 images, Lab in [-1, 1], 64x64 (the config's size)
    assert data['inputs'].shape == (4, 3, 64, 64)
    assert data['inputs'].abs().max() <= 1.0
    losses = model(**data, mode='loss')
    assert set(losses) == {'distill.loss_ccd'}
    losses['distill.loss_ccd'].backward()
    assert model.student.head.fc.weight.grad is None
    assert model.student.backbone.backbone.conv1.weight.grad is not None
    assert all(p.grad is None for p in model.teacher.parameters())


def test_crd_only_losses(stl10):
    """One batch of unlabelled images through the built CRD baseline: the
    only loss is distill.loss_crd, the student's head gets no gradient, and
    the memory banks move at the batch's image indices only."""
    from mmengine.dataset import default_collate
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import DATASETS
    from mmrazor.registry import MODELS
    cfg = Config.fromfile(osp.join(CFG_DIR, 'crd_lnet_abnet_stl10_lab.py'))
    cfg.model.distiller.distill_losses.loss_crd.update(sample_n=4, neg_num=3)
    cfg.train_dataloader.dataset.neg_num = 3
    assert cfg.model.calculate_student_loss is False
    init_default_scope('mmpretrain')
    cfg.model.teacher_ckpt = None
    model = MODELS.build(cfg.model)
    model.train()
    assert not model.teacher.training
    cfg.train_dataloader.dataset.dataset.data_root = stl10
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    data = model.data_preprocessor(
        default_collate([dataset[2], dataset[0]]), training=True)
    # one view of 2 images, Lab in [-1, 1], 64x64 (the config's size)
    assert data['inputs'].shape == (2, 3, 64, 64)
    assert data['inputs'].abs().max() <= 1.0
    assert [int(s.gt_label) for s in data['data_samples']] == [-1, -1]
    memory = model.distiller.distill_losses.loss_crd.contrast
    before = memory.memory_v1.clone()
    losses = model(**data, mode='loss')
    assert set(losses) == {'distill.loss_crd'}
    assert torch.isfinite(losses['distill.loss_crd'])
    losses['distill.loss_crd'].backward()
    assert model.student.head.fc.weight.grad is None
    assert model.student.backbone.backbone.conv1.weight.grad is not None
    assert all(p.grad is None for p in model.teacher.parameters())
    moved = (memory.memory_v1 != before).any(dim=1).tolist()
    assert moved == [True, False, True, False]  # rows of images 0 and 2


@pytest.mark.parametrize('config', PROBES_TRAINED)
def test_probe_builds_loads_student_and_trains_one_iteration(
        config, runs, stl10, tmp_path):
    options = [f'{loader}.dataset.data_root={stl10}'
               for loader in ('train_dataloader', 'val_dataloader')]
    run = 'crd' if 'crd' in config else 'student'
    if 'random' not in config:
        options.append(f'model.backbone.init_cfg.checkpoint={runs[run]}')
    ckpt = train(config, tmp_path / 'probe', *options,
                 *SMALL_IMAGES['probe'])
    probe = load_state(ckpt)
    student = load_state(runs[run])
    prefix = 'architecture.backbone.'
    backbone = {k[len('backbone.'):]: v for k, v in probe.items()
                if k.startswith('backbone.')}
    same = [torch.equal(v, student[prefix + k]) for k, v in backbone.items()
            if 'num_batches_tracked' not in k]
    assert backbone and len(same) == len(
        [k for k in student if k.startswith(prefix) and
         'num_batches_tracked' not in k])
    if 'random' in config:
        # never saw the student: no conv kernel in common, and BN still at
        # its initial running statistics (mean 0, var 1)
        assert not any(
            torch.equal(v, student[prefix + k])
            for k, v in backbone.items() if 'conv' in k)
        for k, v in backbone.items():
            if k.endswith('running_mean'):
                assert torch.equal(v, torch.zeros_like(v))
            if k.endswith('running_var'):
                assert torch.equal(v, torch.ones_like(v))
    else:
        # frozen: the student's weights and BN statistics after training
        assert all(same)
    k = int(re.search(r'stage(\d)', config).group(1))
    channels, grid = STAGES[k]
    assert probe['head.fc.weight'].shape == (10, channels * grid * grid)


@pytest.mark.parametrize('config', PROBES_BUILT)
def test_baseline_probe_builds_and_initialises(config, runs):
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import MODELS
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(osp.join(CFG_DIR, config))
    k = int(re.search(r'stage(\d)', config).group(1))
    stage = Config.fromfile(
        osp.join(CFG_DIR, f'probe_abnet_stage{k}_stl10_lab.py'))
    # the same probe as the CCD one of this stage, but for init_cfg
    for part in ('neck', 'head', 'data_preprocessor'):
        assert cfg.model[part] == stage.model[part]
    assert cfg.model.backbone.backbone == stage.model.backbone.backbone
    if 'crd' in config:
        assert 'crd_lnet_abnet' in cfg.model.backbone.init_cfg.checkpoint
        cfg.model.backbone.init_cfg.checkpoint = runs['crd']
    else:
        assert cfg.model.backbone.init_cfg is None
    model = MODELS.build(cfg.model)
    model.init_weights()
    conv1 = model.backbone.backbone.conv1.weight
    student_conv1 = load_state(
        runs['crd'])['architecture.backbone.backbone.conv1.weight']
    assert torch.equal(conv1, student_conv1) == ('crd' in config)
    assert not conv1.requires_grad
    x = torch.zeros(2, 3, SIZE, SIZE)
    assert model(x, mode='tensor').shape == (2, 10)


def test_probe_stage_end_to_end_accuracy(runs, stl10, tmp_path, capsys):
    """Train the stage-3 probe 2 iterations, then tools/test.py: the
    reported top-1 equals the accuracy of predictions recomputed here from
    the probe's own weights on the test file's images."""
    import cv2
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import MODELS

    from mmdccd.datasets.transforms.lab import RGBToLab

    config = 'probe_abnet_stage3_stl10_lab.py'
    options = [f'{loader}.dataset.data_root={stl10}'
               for loader in ('train_dataloader', 'val_dataloader')]
    options.append(f'model.backbone.init_cfg.checkpoint={runs["student"]}')
    ckpt = train(config, tmp_path / 'probe', *options,
                 *SMALL_IMAGES['probe'], iters=2)
    capsys.readouterr()
    tool('test').main([
        osp.join(CFG_DIR, config), ckpt, '--work-dir',
        str(tmp_path / 'test'), '--cfg-options',
        f'test_dataloader.dataset.data_root={stl10}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
        'test_dataloader.dataset.pipeline.0.scale=(32,32)',
        'experiment_name=probe_test'
    ])
    out = capsys.readouterr().out
    match = re.search(r'accuracy/top1: ([0-9.]+)', out)
    assert match, out[-2000:]
    reported = float(match.group(1))

    # independent check: the test images as written (column-major planes
    # of stl10_binary/test_X.bin), resized to SIZE, Lab, through the probe
    raw = np.fromfile(osp.join(stl10, 'stl10_binary', 'test_X.bin'),
                      np.uint8).reshape(-1, 3, 96, 96)
    labels = np.fromfile(osp.join(stl10, 'stl10_binary', 'test_y.bin'),
                         np.uint8).astype(int) - 1
    to_lab = RGBToLab(channel_order='rgb')
    batch = []
    for planes in raw:
        rgb = np.stack([planes[c].T for c in range(3)], axis=-1)
        rgb = cv2.resize(rgb, (SIZE, SIZE), interpolation=cv2.INTER_LINEAR)
        batch.append(to_lab(dict(img=rgb))['img'].transpose(2, 0, 1))
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(osp.join(CFG_DIR, config))
    cfg.model.backbone.init_cfg = None
    model = MODELS.build(cfg.model)
    model.load_state_dict(load_state(ckpt))
    model.eval()
    with torch.no_grad():
        logits = model(torch.from_numpy(np.stack(batch)), mode='tensor')
    expected = 100.0 * float(
        (logits.argmax(1).numpy() == labels).mean())
    assert reported == pytest.approx(expected, abs=1e-3)
