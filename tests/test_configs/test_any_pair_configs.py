"""configs/any_pair: a timm ViT, a torchvision ResNet and an mmpretrain DeiT
teacher with no feature widths or module names, each trained one iteration
with randomly initialised tiny variants of the same kinds; the image-folder
recipe fine-tunes a teacher's head and distils end to end through
tools/train.py and tools/test.py on a generated folder."""
import copy
import os.path as osp
import re

import pytest
import torch
import torchvision
from mmengine.registry import DefaultScope

import mmdccd  # noqa: F401
from tests.test_configs.config_utils import build_model, load
from tests.utils import REPO_ROOT, make_image_folder, run_tool

SIZE = 16  # crops of the tiny runs (224 in the configs)
TINY_RESNET18 = {
    'model.architecture.backbone.stem_channels': 8,
    'model.architecture.backbone.base_channels': 8,
    'model.architecture.head.in_channels': 64,
}
#: config -> (tiny variant of its networks, teacher width d found);
#: r50-tv_mv2_in1k.py trains in the folder recipe's run, which inherits it
PAIRS = {
    'configs/any_pair/vit-b16-timm_r18_in1k.py': ({
        'model.teacher.model_name': 'vit_tiny_patch16_224',
        'model.teacher.img_size': 32,
        'model.teacher.depth': 1,
        'model.teacher_input_size': 32,  # 16-px rows resized for the ViT
        **TINY_RESNET18
    }, 192),
    'configs/any_pair/deit-s_r18_in1k.py': ({
        'model.teacher.backbone.arch':
        dict(_delete_=True, embed_dims=32, num_layers=1, num_heads=2,
             feedforward_channels=64),
        'model.teacher.backbone.img_size': 32,
        'model.teacher.head.in_channels': 32,
        'model.teacher_input_size': 32,
        **TINY_RESNET18
    }, 32),
}


def at_size(pipeline, size):
    """The pipeline with its crops and resizes at ``size`` pixels."""
    pipeline = copy.deepcopy(pipeline)
    for t in pipeline:
        if t['type'] in ('RandomResizedCrop', 'ResizeEdge'):
            t['scale'] = size
        if t['type'] == 'CenterCrop':
            t['crop_size'] = size
        if 'transforms' in t:
            t['transforms'] = at_size(t['transforms'], size)
    return pipeline


@pytest.fixture(scope='module')
def folder(tmp_path_factory):
    return make_image_folder(
        str(tmp_path_factory.mktemp('my_dataset')), classes=('cat', 'dog'),
        num_train=2, num_val=2, size=20)


@pytest.mark.parametrize('path', sorted(PAIRS))
def test_pair_trains_one_iteration_without_widths(path, folder):
    pytest.importorskip('timm')
    from mmengine.optim import build_optim_wrapper
    from mmengine.runner import Runner
    tiny, width = PAIRS[path]
    cfg = load(path)
    for arg in ('feat_dim', 'feat_source', 'logits_source'):
        assert f'student_{arg}' not in cfg.model
        assert f'teacher_{arg}' not in cfg.model
    cfg.merge_from_dict(tiny)
    torch.manual_seed(0)
    model = build_model(cfg)
    assert model.beta == pytest.approx(25.6 / width)
    loader = copy.deepcopy(cfg.train_dataloader)
    loader.update(batch_size=2, num_workers=0, persistent_workers=False)
    loader['dataset'] = dict(
        type='CustomDataset', data_root=folder, data_prefix='train',
        pipeline=at_size(loader['dataset']['pipeline'], SIZE))
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        data = next(iter(Runner.build_dataloader(loader, seed=0)))
        optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    teacher_before = copy.deepcopy(model.teacher.state_dict())
    student_before = copy.deepcopy(model.student.state_dict())
    model.train()
    log_vars = model.train_step(data, optim_wrapper)
    assert {'student.loss', 'distill.loss_kd', 'distill.loss_dkd',
            'distill.loss_ccd'} <= set(log_vars)
    assert all(torch.isfinite(torch.as_tensor(v)) for v in log_vars.values())
    assert any(not torch.equal(v, model.student.state_dict()[k])
               for k, v in student_before.items())
    assert all(torch.equal(v, model.teacher.state_dict()[k])
               for k, v in teacher_before.items())


def test_finetune_recipe_loads_all_but_the_head(tmp_path):
    """The torchvision ImageNet checkpoint (its own format, 1000 classes)
    initialises everything of the user's 2-class teacher but its head."""
    imagenet = torchvision.models.resnet18(num_classes=1000).state_dict()
    ckpt = str(tmp_path / 'resnet18-imagenet.pth')
    torch.save(imagenet, ckpt)
    cfg = load('configs/any_pair/r50-tv_folder_finetune.py')
    cfg.merge_from_dict({
        'model.model_name': 'resnet18',
        'model.num_classes': 2,
        'model.init_cfg.checkpoint': ckpt
    })
    torch.manual_seed(0)
    model = build_model(cfg)
    model.init_weights()
    state = model.state_dict()  # torchvision's keys (no 'model.' prefix)
    for key in imagenet:
        if key.startswith('fc.'):
            assert state[key].shape[0] == 2  # the new head
        else:
            assert torch.equal(state[key], imagenet[key]), key


def test_folder_recipe_trains_and_tests_end_to_end(tmp_path, folder):
    """tools/train.py then tools/test.py on the recipe config, with its
    networks shrunk and a fine-tuned teacher stood in for by a torchvision
    state dict of the user's 2 classes."""
    teacher = str(tmp_path / 'teacher_finetuned.pth')
    torch.save(torchvision.models.resnet18(num_classes=2).state_dict(),
               teacher)
    recipe = load('configs/any_pair/r50-tv_mv2_folder.py')
    loaders = {
        name: dict(batch_size=2, num_workers=0, persistent_workers=False,
                   dataset=dict(data_root=folder, pipeline=at_size(
                       recipe[name].dataset.pipeline, SIZE)))
        for name in ('train_dataloader', 'val_dataloader')
    }
    tiny = osp.join(str(tmp_path), 'tiny_folder.py')
    with open(tiny, 'w') as f:
        f.write(f"""
_base_ = {osp.join(REPO_ROOT, 'configs/any_pair/r50-tv_mv2_folder.py')!r}
num_classes = 2
model = dict(
    architecture=dict(
        backbone=dict(widen_factor=0.25), head=dict(num_classes=2)),
    teacher=dict(model_name='resnet18', num_classes=2),
    teacher_ckpt={teacher!r})
data_preprocessor = dict(num_classes=2)
train_dataloader = {loaders['train_dataloader']!r}
val_dataloader = {loaders['val_dataloader']!r}
test_dataloader = val_dataloader
train_cfg = dict(max_epochs=1)
default_hooks = dict(logger=dict(interval=1))
""")
    work_dir = str(tmp_path / 'work')
    out = run_tool(['tools/train.py', tiny, '--work-dir', work_dir],
                   timeout=600).stdout
    # 4 train images (2 classes x 2), batch 2: 2 iterations, then val
    assert re.search(r'Epoch\(train\)\s+\[1\]\[2/2\]', out), out[-3000:]
    assert 'distill.loss_ccd' in out and 'teacher.accuracy/top1' in out
    ckpt = osp.join(work_dir, 'epoch_1.pth')
    result = run_tool(['tools/test.py', tiny, ckpt, '--work-dir',
                       str(tmp_path / 'test')], timeout=600).stdout
    top1 = re.search(r'accuracy/top1: (\d+\.\d+)', result)
    assert top1 and float(top1.group(1)) in (0.0, 25.0, 50.0, 75.0, 100.0)
