"""Strict teacher loading: a wrong ``teacher_ckpt`` is an error that names
the file, the keys and the fix; the right one loads exactly; partial loading
is an explicit switch; and nothing in the file is unpickled."""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmrazor.registry import MODELS

import mmdccd  # noqa: F401
from mmdccd.utils.checkpoint import UntrustedCheckpointError
from tests.utils import config_path, write_malicious


def tiny_dccd_model(**kwargs) -> dict:
    """tests/data/configs/tiny_dccd.py's DCCD: resnet14 teacher, resnet8
    student, 2 classes."""
    cfg = Config.fromfile(config_path('tiny_dccd.py'))
    model = copy.deepcopy(cfg.model.to_dict())
    model['data_preprocessor'] = cfg.data_preprocessor.to_dict()
    model.update(kwargs)
    return model


def build(**kwargs):
    init_default_scope('mmpretrain')
    return MODELS.build(tiny_dccd_model(**kwargs))


def classifier_state(depth: int, seed: int = 1) -> dict:
    """A trained-looking CIFAR ResNet classifier of ``depth`` (2 classes)."""
    init_default_scope('mmpretrain')
    torch.manual_seed(seed)
    cfg = tiny_dccd_model()['teacher']
    cfg['backbone']['depth'] = depth
    return MODELS.build(cfg).state_dict()


def test_resnet8_checkpoint_for_a_resnet14_teacher_is_refused(tmp_path):
    # the Why of the issue: a DCCD model whose resnet14 teacher is given a
    # resnet8 checkpoint built silently with a half-random teacher
    path = str(tmp_path / 'resnet8.pth')
    torch.save(dict(state_dict=classifier_state(depth=8)), path)
    with pytest.raises(ValueError) as error:
        build(teacher_ckpt=path)
    message = str(error.value)
    assert path in message
    # resnet14 has 2 blocks a stage, resnet8 one: the second blocks are
    # missing from the file
    assert 'missing in the file: backbone.layer1.1.conv1.weight' in message
    assert 'unexpected' not in message
    assert 'model.teacher_ckpt=PATH' in message
    assert 'model_converters' in message
    assert 'teacher_ckpt_strict=False' in message


def test_the_right_checkpoint_loads_exactly_and_survives_init(tmp_path):
    state = classifier_state(depth=14)
    # as written by DDP (module. prefix), and without the BN counters that
    # old checkpoints lack
    saved = {
        f'module.{k}': v
        for k, v in state.items() if not k.endswith('num_batches_tracked')
    }
    path = str(tmp_path / 'resnet14.pth')
    torch.save(dict(state_dict=saved), path)
    model = build(teacher_ckpt=path)
    model.init_weights()  # the Runner calls it after building
    loaded = model.teacher.state_dict()
    for key, value in state.items():
        if not key.endswith('num_batches_tracked'):
            torch.testing.assert_close(loaded[key], value, rtol=0, atol=0)


def test_partial_loading_is_an_explicit_switch(tmp_path):
    state = classifier_state(depth=8)
    path = str(tmp_path / 'resnet8.pth')
    torch.save(state, path)
    model = build(teacher_ckpt=path, teacher_ckpt_strict=False)
    loaded = model.teacher.state_dict()
    # the stem and the first block of every stage come from the file ...
    torch.testing.assert_close(loaded['backbone.conv1.weight'],
                               state['backbone.conv1.weight'])
    torch.testing.assert_close(loaded['head.fc.weight'],
                               state['head.fc.weight'])
    # ... the second blocks keep the teacher's own initialisation
    fresh = build()
    assert 'backbone.layer1.1.conv1.weight' not in state
    assert loaded['backbone.layer1.1.conv1.weight'].shape == \
        fresh.teacher.state_dict()['backbone.layer1.1.conv1.weight'].shape


def test_shape_mismatch_names_both_shapes(tmp_path):
    state = classifier_state(depth=14)
    state['head.fc.weight'] = torch.zeros(100, 64)  # an ImageNet-style head
    path = str(tmp_path / 'head.pth')
    torch.save(state, path)
    with pytest.raises(ValueError, match=r'head.fc.weight \(100, 64\) vs '
                       r'\(2, 64\)'):
        build(teacher_ckpt=path)


def test_a_whole_distillation_checkpoint_is_refused(tmp_path):
    student = classifier_state(depth=8)
    whole = {f'architecture.{k}': v for k, v in student.items()}
    whole.update({f'teacher.{k}': v for k, v in student.items()})
    path = str(tmp_path / 'dccd_iter_4.pth')
    torch.save(dict(state_dict=whole), path)
    with pytest.raises(ValueError, match='whole distillation checkpoint') \
            as error:
        build(teacher_ckpt=path)
    assert 'extract_student.py' in str(error.value)


def test_a_missing_checkpoint_names_the_command(tmp_path):
    path = str(tmp_path / 'work_dirs' / 'r110_c100' / 'epoch_240.pth')
    with pytest.raises(FileNotFoundError) as error:
        build(teacher_ckpt=path)
    message = str(error.value)
    assert path in message
    assert 'python tools/train.py TEACHER_CONFIG' in message
    assert 'convert_repdistiller.py' in message


def test_a_teacher_checkpoint_that_runs_code_is_refused(tmp_path,
                                                       monkeypatch):
    monkeypatch.delenv('MMDCCD_ALLOW_PICKLE', raising=False)
    marker = str(tmp_path / 'ran')
    path = write_malicious(str(tmp_path / 'teacher.pth'), marker,
                           classifier_state(depth=14))
    with pytest.raises(UntrustedCheckpointError, match='teacher.pth'):
        build(teacher_ckpt=path)
    assert not osp.exists(marker)
