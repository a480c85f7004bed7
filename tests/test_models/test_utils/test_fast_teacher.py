"""The fast frozen teacher against the eager one: from identical states,
every loss term and gradient of DCCD within 1e-4 relative at each of 20
steps and the recorded teacher logits and features within 1e-5, for a CIFAR
ResNet, a VGG, a WRN, a timm and a torchvision teacher; the checkpoint
keys unchanged; the copy made again after a load; recorded modules kept;
the switch off for a trainable teacher and settable from a config."""
import copy

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample
from mmrazor.registry import MODELS
from torch import nn

import mmdccd  # noqa: F401
from tests.utils import tiny_classifier

STEPS = 20


def cifar_teacher(backbone: dict, width: int) -> dict:
    return dict(
        _scope_='mmpretrain',
        type='ImageClassifier',
        backbone=backbone,
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=5, in_channels=width))


TEACHERS = {
    'cifar_resnet': cifar_teacher(dict(type='CIFARResNet', depth=8), 64),
    'vgg': cifar_teacher(dict(type='CIFARVGG', depth=8), 512),
    'wrn': cifar_teacher(
        dict(type='WideResNet', depth=16, widen_factor=1), 64),
    'timm': dict(
        _scope_='mmpretrain',
        type='TimmClassifier',
        model_name='test_efficientnet',
        num_classes=5),
    'torchvision': dict(
        _scope_='mmpretrain',
        type='TorchvisionClassifier',
        model_name='resnet18',
        num_classes=5),
}


def randomise_bn(model: nn.Module, seed: int = 0) -> None:
    """Running statistics of random images, as a trained teacher has its
    data's (rather than 0 and 1), so folding changes the weights."""
    g = torch.Generator().manual_seed(seed)
    flags = [(m, m.training) for m in model.modules()]
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None  # the mean over the batches below
    model.train()
    with torch.no_grad():
        for _ in range(2):
            model(torch.randn(8, 3, 16, 16, generator=g), mode='tensor')
    for m, training in flags:
        m.training = training


def build_dccd(teacher: dict, **kwargs) -> nn.Module:
    init_default_scope('mmpretrain')
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            _scope_='mmrazor',
            type='DCCD',
            architecture=tiny_classifier(4),
            teacher=teacher,
            data_preprocessor=dict(
                type='MultiViewClsDataPreprocessor',
                mean=[128.0] * 3,
                std=[64.0] * 3),
            **kwargs))
    randomise_bn(model.teacher)
    model.train()
    return model


def batch(seed: int, b: int = 4, size: int = 16) -> dict:
    g = torch.Generator().manual_seed(seed)
    return dict(
        inputs=[
            torch.randint(0, 256, (b, 3, size, size), generator=g,
                          dtype=torch.uint8) for _ in range(2)
        ],
        data_samples=[DataSample().set_gt_label(i % 5) for i in range(b)])


def copy_state(src: nn.Module, dst: nn.Module) -> None:
    """``dst`` takes ``src``'s parameters and buffers (tensor by tensor:
    mmpretrain 1.2.0's ``TimmClassifier`` does not load its own state dict
    as a submodule on this torch)."""
    for get in ('named_parameters', 'named_buffers'):
        targets = dict(getattr(dst, get)())
        for name, tensor in getattr(src, get)():
            targets[name].data.copy_(tensor.data)


def relative(found: torch.Tensor, expected: torch.Tensor) -> float:
    """Largest difference over the largest value of ``expected``."""
    scale = expected.abs().max().clamp_min(1e-12)
    return float((found - expected).abs().max() / scale)


def teacher_records(model: nn.Module) -> dict:
    recorders = model.distiller.teacher_recorders
    return {
        name: recorders.get_recorder(name).get_record_data(
            data_idx=idx).detach().clone()
        for name, idx in (('feat', 0), ('logits', None))
    }


@pytest.mark.parametrize('name', sorted(TEACHERS))
def test_fast_and_eager_agree_at_every_step(name):
    if name == 'timm':
        pytest.importorskip('timm')
    fast = build_dccd(TEACHERS[name])
    eager = build_dccd(TEACHERS[name], fast_teacher=False)
    assert fast.fast_teacher and not eager.fast_teacher
    optimizer = torch.optim.SGD(fast.student.parameters(), lr=0.1,
                                momentum=0.9)
    connector_opt = torch.optim.SGD(fast.distiller.parameters(), lr=0.1)
    for step in range(STEPS):
        copy_state(fast, eager)  # identical states
        results = []
        for model in (fast, eager):
            model.zero_grad(set_to_none=True)
            data = model.data_preprocessor(batch(step), training=True)
            losses = model(**data, mode='loss')
            sum(losses.values()).backward()
            grads = {
                n: p.grad.clone()
                for n, p in model.named_parameters() if p.grad is not None
            }
            results.append((losses, grads, teacher_records(model)))
        (l_f, g_f, t_f), (l_e, g_e, t_e) = results
        assert set(l_f) == set(l_e) == {
            'student.loss', 'distill.loss_kd', 'distill.loss_dkd',
            'distill.loss_ccd'
        }
        for key in l_e:
            assert relative(l_f[key], l_e[key]) <= 1e-4, (step, key)
        assert set(g_f) == set(g_e) and len(g_e) > 0
        assert not any(n.startswith('teacher.') for n in g_e)
        # relative to the largest gradient: a bias before CCD's
        # standardisation has a gradient of 0 up to rounding
        flat_f, flat_e = (torch.cat([g[k].flatten() for k in sorted(g_e)])
                          for g in (g_f, g_e))
        assert relative(flat_f, flat_e) <= 1e-4, step
        assert float((flat_f - flat_e).norm() / flat_e.norm()) <= 1e-4
        for key in t_e:
            assert relative(t_f[key], t_e[key]) <= 1e-5, (step, key)
        optimizer.step()
        connector_opt.step()
    # the teacher really was folded (the same rounding would be no test)
    assert len(fast._fast.folded) > 0


def distances_to_float64(model: nn.Module) -> tuple:
    """How far the fast copy's and the eager teacher's logits are from the
    teacher's float64 logits, relative to their largest, on one batch."""
    x = torch.randn(8, 3, 16, 16, generator=torch.Generator().manual_seed(1))
    fast = model._fast.module(x)
    with torch.no_grad():
        model.teacher.eval()
        eager = model.teacher(x, mode='tensor')
        truth = copy.deepcopy(model.teacher).double()(
            x.double(), mode='tensor').float()
        found = fast(model._fast.prepare(x), mode='tensor')
    return relative(found, truth), relative(eager, truth)


def test_as_close_to_float64_as_the_eager_teacher():
    """Where float32 rounding of a deep random network alone is about 1e-5
    of the largest logit (torchvision's MobileNetV2 0.25x, 52 layers), the
    folded copy is as close to the float64 truth as the eager teacher."""
    model = build_dccd(
        dict(TEACHERS['torchvision'], model_name='mobilenet_v2',
             width_mult=0.25))
    found, eager = distances_to_float64(model)
    assert len(model._fast.folded) == 52
    assert found <= 2 * eager <= 1e-4


def test_checkpoint_keys_and_values_unchanged():
    fast = build_dccd(TEACHERS['cifar_resnet'])
    eager = build_dccd(TEACHERS['cifar_resnet'], fast_teacher=False)
    before = copy.deepcopy(fast.state_dict())
    fast(**fast.data_preprocessor(batch(0), True), mode='loss')
    after = fast.state_dict()
    assert list(after) == list(eager.state_dict()) == list(before)
    assert not any('_fast' in k or '_orig_mod' in k for k in after)
    for key, value in before.items():
        if key.startswith('teacher.'):
            assert torch.equal(after[key], value), key


def test_copy_made_again_after_a_load():
    """A new teacher state, by the algorithm's or the teacher's own
    ``load_state_dict``, reaches the recorded teacher outputs at the next
    step."""
    fast = build_dccd(TEACHERS['cifar_resnet'])
    data = fast.data_preprocessor(batch(0), True)
    fast(**data, mode='loss')
    first = fast._fast.copy
    other = build_dccd(TEACHERS['cifar_resnet'], fast_teacher=False)
    randomise_bn(other.teacher, seed=1)
    for load in (lambda: fast.load_state_dict(other.state_dict()),
                 lambda: fast.teacher.load_state_dict(
                     other.teacher.state_dict())):
        load()
        fast(**data, mode='loss')
        assert fast._fast.copy is not first
        first = fast._fast.copy
        other(**other.data_preprocessor(batch(0), True), mode='loss')
        for key, value in teacher_records(other).items():
            assert relative(teacher_records(fast)[key], value) <= 1e-5
    fast(**data, mode='loss')  # nothing changed: the same copy
    assert fast._fast.copy is first


def test_made_in_float32_inside_autocast():
    """A copy first needed under bfloat16 autocast is still folded (its
    check runs in float32, not at bfloat16's rounding)."""
    fast = build_dccd(TEACHERS['cifar_resnet'])
    with torch.autocast('cpu', torch.bfloat16):
        fast(**fast.data_preprocessor(batch(0), True), mode='loss')
    assert len(fast._fast.folded) > 0


def test_dtype_move_remakes_the_copy():
    fast = build_dccd(TEACHERS['cifar_resnet'])
    fast(**fast.data_preprocessor(batch(0), True), mode='loss')
    fast.double()
    data = fast.data_preprocessor(batch(0), True)
    data['inputs'] = data['inputs'].double()
    fast(**data, mode='loss')
    assert next(fast._fast.copy.parameters()).dtype == torch.float64


def test_a_recorded_batchnorm_is_not_folded_and_records_the_same():
    init_default_scope('mmpretrain')
    models = []
    for fast_teacher in (True, False):
        torch.manual_seed(0)
        model = MODELS.build(
            dict(
                _scope_='mmrazor',
                type='FrozenTeacherDistill',
                architecture=tiny_classifier(8),
                teacher=tiny_classifier(8),
                fast_teacher=fast_teacher,
                calculate_student_loss=False,
                distiller=dict(
                    type='ConfigurableDistiller',
                    teacher_recorders=dict(
                        bn=dict(type='ModuleOutputs',
                                source='backbone.bn1')),
                    student_recorders=dict(
                        bn=dict(type='ModuleOutputs',
                                source='backbone.bn1')),
                    distill_losses=dict(loss_mse=dict(type='L2Loss')),
                    loss_forward_mappings=dict(
                        loss_mse=dict(
                            s_feature=dict(from_student=True, recorder='bn'),
                            t_feature=dict(from_student=False,
                                           recorder='bn'))))))
        randomise_bn(model.teacher)
        model.train()
        models.append(model)
    x = torch.randn(4, 3, 32, 32)
    losses = [m(x, mode='loss')['distill.loss_mse'] for m in models]
    folded = dict(models[0]._fast.folded)
    assert 'backbone.conv1' not in folded and len(folded) > 0
    assert isinstance(models[0]._fast.copy.backbone.bn1, nn.BatchNorm2d)
    records = [
        m.distiller.teacher_recorders.get_recorder('bn').get_record_data()
        for m in models
    ]
    assert relative(records[0], records[1]) <= 1e-5
    assert relative(losses[0], losses[1]) <= 1e-4


def test_off_for_a_trainable_teacher_and_from_a_config():
    trainable = build_dccd(TEACHERS['cifar_resnet'], teacher_trainable=True)
    assert not trainable.fast_teacher and trainable._fast is None
    cfg = Config.fromfile('configs/dccd/r56_r20_c100.py')
    assert cfg.model.get('fast_teacher', True)
    cfg.merge_from_dict({'model.fast_teacher': False})
    assert cfg.model.fast_teacher is False


def test_options_of_the_copy_and_a_misspelt_one():
    """On the CPU the copy is contiguous by default and NHWC with
    ``fast_teacher=dict(channels_last=True)``, whose logits are as close to
    the float64 result as the eager teacher's; an unknown option names the
    one there is."""
    for options, layout in ((True, torch.contiguous_format),
                            (dict(channels_last=True), torch.channels_last)):
        model = build_dccd(TEACHERS['torchvision'], fast_teacher=options)
        found, eager = distances_to_float64(model)
        assert model._fast._memory_format is layout
        assert found <= 2 * eager <= 1e-4
    with pytest.raises(TypeError, match="only option is 'channels_last'"):
        build_dccd(TEACHERS['cifar_resnet'],
                   fast_teacher=dict(channel_last=True))


def test_compile_in_place_keeps_the_state_dict_keys():
    """``compile`` compiles the student and the teacher copy in place
    (``nn.Module.compile``); ``backend='eager'`` keeps this test fast."""
    model = build_dccd(TEACHERS['cifar_resnet'],
                       compile=dict(backend='eager'))
    keys = list(model.state_dict())
    model(**model.data_preprocessor(batch(0), True), mode='loss')
    assert model.student._compiled_call_impl is not None
    assert model._fast.copy._compiled_call_impl is not None
    assert list(model.state_dict()) == keys
    assert not any('_orig_mod' in k for k in keys)
