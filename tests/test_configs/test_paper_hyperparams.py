"""Pins the paper's CIFAR-100 hyper-parameters in the configs (eq. 14's
weights, RepDistiller's recipe: 240 epochs, batch 64, SGD 0.05 -- 0.01 for
MobileNetV2 and ShuffleNets -- x0.1 at 150/180/210, wd 5e-4), and the teacher
of each student per Tables I and VII."""
import os.path as osp

import pytest

from tests.test_configs.config_utils import (LOW_LR_STUDENTS, SHORT_NAMES,
                                             cifar_configs, innermost_dataset,
                                             load, network_name, parse_name,
                                             reference_models)

#: (teacher, student) of paper Table I (first seven) and Table VII.
PAPER_PAIRS = [
    ('wrn_40_2', 'wrn_16_2'), ('resnet56', 'resnet20'),
    ('resnet32x4', 'resnet8x4'), ('vgg13', 'vgg8'), ('vgg13', 'MobileNetV2'),
    ('ResNet50', 'vgg8'), ('resnet32x4', 'ShuffleV2'),
    ('wrn_40_2', 'wrn_40_1'), ('resnet110', 'resnet20'),
    ('resnet110', 'resnet32'), ('ResNet50', 'MobileNetV2'),
    ('resnet32x4', 'ShuffleV1'), ('wrn_40_2', 'ShuffleV1'),
]
#: Fig. 8a's t-SNE pair (KD and DCCD students, no accuracy in the paper).
FIG8A_PAIR = ('resnet20', 'resnet14')
SUITE = ('configs/vanilla', 'configs/kd', 'configs/crd', 'configs/dccd',
         'configs/dccd/ablations')
CONFIGS = [p for p in cifar_configs() if osp.dirname(p) in SUITE]
PAIR_CONFIGS = [p for p in CONFIGS if parse_name(p)['teacher']]


def test_every_pair_has_each_method():
    short = {v: k for k, v in SHORT_NAMES.items()}
    for teacher, student in PAPER_PAIRS:
        stem = f'{short[teacher]}_{short[student]}_c100'
        for path in (f'configs/dccd/{stem}.py', f'configs/dccd/{stem}_star.py',
                     f'configs/dccd/{stem}_dkd-kd.py', f'configs/kd/{stem}.py',
                     f'configs/crd/{stem}.py'):
            assert path in CONFIGS, f'missing {path}'
    for name in short:
        assert f'configs/vanilla/{short[name]}_c100.py' in CONFIGS
    # fig. 8a: teacher, student alone, KD and DCCD for resnet20 -> resnet14
    for path in ('configs/vanilla/r20_c100.py', 'configs/vanilla/r14_c100.py',
                 'configs/kd/r20_r14_c100.py', 'configs/dccd/r20_r14_c100.py'):
        assert path in CONFIGS, f'missing {path}'


@pytest.mark.parametrize('path', CONFIGS)
def test_schedule_and_data(path):
    cfg = load(path)
    name = parse_name(path)
    optimizer = cfg.optim_wrapper.optimizer
    assert optimizer.type == 'SGD'
    expected_lr = 0.01 if name['student'] in LOW_LR_STUDENTS else 0.05
    assert optimizer.lr == expected_lr
    assert optimizer.momentum == 0.9
    assert optimizer.weight_decay == 5e-4
    assert cfg.train_cfg.max_epochs == 240
    assert cfg.train_cfg.val_interval == 1
    scheduler = cfg.param_scheduler
    assert scheduler.type == 'MultiStepLR' and scheduler.by_epoch
    assert list(scheduler.milestones) == [150, 180, 210]
    assert scheduler.gamma == 0.1
    assert cfg.auto_scale_lr.base_batch_size == 64
    assert cfg.train_dataloader.batch_size == 64
    hook = cfg.default_hooks.checkpoint
    assert hook.save_best == 'auto' and hook.max_keep_ckpts == 1
    dataset = innermost_dataset(cfg.train_dataloader.dataset)
    assert dataset.type == 'LocalCIFAR100' and dataset.split == 'train'
    assert dataset.verify_md5 is True
    assert cfg.val_dataloader.dataset.split == 'test'
    preprocessor = cfg.data_preprocessor
    assert preprocessor.mean == [129.3105, 124.1085, 112.404]
    assert preprocessor.std == [68.2125, 65.4075, 70.4055]
    assert preprocessor.to_rgb is False
    # the benchmark's augmentation: crop 32 pad 4, then flip (in each view)
    pipeline = dataset.pipeline
    if cfg.model.get('type') == 'DCCD':
        assert preprocessor.type == 'MultiViewClsDataPreprocessor'
        assert preprocessor.num_views == 2
        if preprocessor.get('batch_views') is not None:  # views drawn there
            assert [t.type for t in pipeline] == ['PackInputs']
            assert preprocessor.batch_views == dict(crop_size=32, padding=4,
                                                    prob=0.5)
            return
        assert pipeline[0].type == 'DualView'
        pipeline = pipeline[0].transforms
    crop, flip = pipeline[0], pipeline[1]
    assert (crop.type, crop.crop_size, crop.padding) == ('RandomCrop', 32, 4)
    assert (flip.type, flip.prob, flip.direction) == ('RandomFlip', 0.5,
                                                      'horizontal')
    assert ('RandomRotate90' in [t.type for t in pipeline]) == \
        (name['suffix'] == 'star')


@pytest.mark.parametrize('path', PAIR_CONFIGS)
def test_pairs_and_losses(path):
    cfg = load(path)
    name = parse_name(path)
    model = cfg.model
    assert network_name(model.teacher) == name['teacher']
    assert network_name(model.architecture) == name['student']
    assert (name['teacher'], name['student']) in PAPER_PAIRS + [FIG8A_PAIR]
    assert model.teacher_ckpt.startswith('work_dirs/')
    assert cfg.val_cfg.type == 'mmrazor.SingleTeacherDistillValLoop'
    folder = osp.dirname(path)
    if folder == 'configs/kd':  # RepDistiller: -r 0.1 -a 0.9, T 4
        assert model.architecture.head.loss.get('loss_weight') == 0.1
        kd = model.distiller.distill_losses.loss_kd
        assert (kd.type, kd.tau, kd.loss_weight) == ('KLDivergence', 4, 0.9)
    elif folder == 'configs/crd':
        # the paper's CRD column is the benchmark's CRD+KD: -r 1 -a 1 -b 0.8,
        # T 4, 16384 negatives, dim 128
        assert model.architecture.head.loss.get('loss_weight', 1.0) == 1.0
        assert set(model.distiller.distill_losses) == {'loss_kd', 'loss_crd'}
        kd = model.distiller.distill_losses.loss_kd
        assert (kd.type, kd.tau, kd.loss_weight) == ('KLDivergence', 4, 1.0)
        assert kd.get('reduction', 'batchmean') == 'batchmean'
        assert model.distiller.loss_forward_mappings.loss_kd == dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits'))
        for side in ('student_recorders', 'teacher_recorders'):
            assert model.distiller[side].logits == dict(
                type='ModuleOutputs', source='head.fc')
        crd = model.distiller.distill_losses.loss_crd
        assert (crd.loss_weight, crd.neg_num, crd.dim_out, crd.temperature,
                crd.momentum, crd.sample_n) == (0.8, 16384, 128, 0.07, 0.5,
                                                50000)
        assert cfg.train_dataloader.dataset.neg_num == crd.neg_num
        assert cfg.train_dataloader.dataset.sample_mode == 'exact'
    else:  # DCCD, eq. (14)
        assert model.type == 'DCCD'
        assert model.architecture.head.loss.get('loss_weight', 1.0) == 1.0
        assert model.tau == 4.0 and model.alpha == 1.0
        assert model.beta is None  # -> 25.6 / d (checked on the built model)
        ref = reference_models()
        assert model.teacher_feat_dim == ref[name['teacher']]['feat_dim']
        assert model.student_feat_dim == ref[name['student']]['feat_dim']
        if 'theta' not in name['suffix'] and \
                name['suffix'] != 'imitation':
            assert model.theta == 2.0
        if folder == 'configs/dccd':
            assert model.imitation_weight == 1.0
            assert model.dkd_distance == 'kl'
            assert model.connector == dict(type='MLPConnector', num_layers=2)
            assert model.teacher_connector is None
            assert tuple(model.terms) == (('kd', 'dkd') if name['suffix']
                                          == 'dkd-kd' else
                                          ('kd', 'dkd', 'ccd'))


@pytest.mark.parametrize('suffix,changes', [
    ('imitation', dict(terms=('ccd', ), theta=0.0)),
    ('contrastive', dict(terms=('ccd', ), imitation_weight=0.0)),
    ('ccd', dict(terms=('ccd', ))),
    ('ccd-kd', dict(terms=('kd', 'ccd'))),
])
def test_table3_ablations(suffix, changes):
    """Table III (resnet110 -> resnet32): each row switches only its terms."""
    cfg = load(f'configs/dccd/ablations/r110_r32_c100_{suffix}.py').model
    full = load('configs/dccd/r110_r32_c100.py').model
    for key, value in changes.items():
        assert tuple(cfg[key]) == value if key == 'terms' else \
            cfg[key] == value
    rest = {k: v for k, v in cfg.items() if k not in changes}
    assert rest == {k: v for k, v in full.items() if k not in changes}


@pytest.mark.parametrize('suffix,student_layers,teacher_layers', [
    ('t-id_s-linear', 1, None), ('t-mlp_s-linear', 1, 2),
    ('t-mlp_s-mlp', 2, 2)
])
def test_table5_transforms(suffix, student_layers, teacher_layers):
    model = load(f'configs/dccd/ablations/r56_r20_c100_{suffix}.py').model
    assert model.connector.num_layers == student_layers
    if teacher_layers is None:
        assert model.teacher_connector is None
    else:
        assert model.teacher_connector == dict(
            type='MLPConnector', num_layers=teacher_layers)


def test_fig9_sweeps():
    for theta in (0.5, 1.0, 1.5, 2.5, 3.0, 3.5, 4.0, 4.5):
        model = load('configs/dccd/ablations/'
                     f'wrn40-2_wrn16-2_c100_theta{theta}.py').model
        assert model.theta == theta and model.tau == 4.0
    for stem in ('wrn40-2_wrn16-2_c100', 'wrn40-2_shv1_c100'):
        model = load(f'configs/dccd/ablations/{stem}_dkd-mse-kd.py').model
        assert (tuple(model.terms), model.dkd_distance) == (('kd', 'dkd'),
                                                            'mse')
        hot = load(f'configs/dccd/ablations/{stem}_dkd-tau8-kd.py').model
        assert (tuple(hot.terms), hot.tau, hot.dkd_tau) == (('kd', 'dkd'),
                                                            4.0, 8.0)


@pytest.mark.parametrize('aug', ['mixup', 'randaugment', 'randerasing'])
def test_table6_augmentations(aug):
    """Table VI: teacher, student, KD and DCCD for each augmentation; the
    distillation runs use the teacher trained with the same augmentation."""
    paths = [f'configs/vanilla/vgg13_c100_{aug}.py',
             f'configs/vanilla/vgg8_c100_{aug}.py',
             f'configs/kd/vgg13_vgg8_c100_{aug}.py',
             f'configs/dccd/ablations/vgg13_vgg8_c100_{aug}.py']
    for path in paths:
        cfg = load(path)
        if aug == 'mixup':
            mixup = cfg.data_preprocessor.batch_augments.augments
            assert (mixup.type, mixup.alpha) == ('Mixup', 1.0)
        else:
            pipeline = cfg.train_dataloader.dataset.pipeline
            if pipeline[0].type == 'DualView':
                pipeline = pipeline[0].transforms
            expected = {'randaugment': 'RandAugment',
                        'randerasing': 'RandomErasing'}[aug]
            assert expected in [t.type for t in pipeline], path
        if 'teacher_ckpt' in cfg.model:
            assert cfg.model.teacher_ckpt == \
                f'work_dirs/vgg13_c100_{aug}/epoch_240.pth'


@pytest.mark.parametrize(
    'path', [p for p in PAIR_CONFIGS if parse_name(p)['suffix'] == 'star'])
def test_star_is_its_pair_plus_rotation(path):
    """DCCD*: the pair's config with RandomRotate90 in each view, the
    per-view rotation packed for the head, and CE on upright rows only."""
    star, pair = load(path), load(path.replace('_star.py', '.py'))
    head = star.model.architecture.head
    assert head.type == 'UprightLinearClsHead'
    assert head.get('hard_label_rows', 'upright') == 'upright'
    head.type = 'LinearClsHead'
    assert star.model == pair.model
    dual, pack = star.train_dataloader.dataset.pipeline
    assert dual.get('view_keys', ('rotate90_k', )) == ('rotate90_k', )
    # the pair draws its crop + flip views in the preprocessor; the star
    # makes the same ones per sample, then rotates each
    views = pair.data_preprocessor.batch_views
    assert dual.transforms[:-1] == [
        dict(type='RandomCrop', crop_size=views.crop_size,
             padding=views.padding),
        dict(type='RandomFlip', prob=views.prob, direction='horizontal')
    ]
    assert dual.transforms[-1] == dict(type='RandomRotate90', prob=0.75)
    assert pack == dict(type='PackInputs', algorithm_keys=['rotate90_k'])
    assert star.data_preprocessor.batch_views is None
    star.data_preprocessor.batch_views = views
    for key in ('optim_wrapper', 'param_scheduler', 'train_cfg', 'val_cfg',
                'val_dataloader', 'data_preprocessor'):
        assert star[key] == pair[key]
