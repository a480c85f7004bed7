"""A typo in a constructor argument names the valid arguments and the
closest one (DCCD, FrozenTeacherDistill, the losses, the connector)."""
import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope
from mmrazor.registry import MODELS

import mmdccd  # noqa: F401
from mmdccd.models.algorithms.dccd import DCCD
from mmdccd.utils.arguments import accepted_arguments
from tests.utils import config_path


def build(cfg, scope='mmpretrain'):
    with DefaultScope.overwrite_default_scope(scope):
        return MODELS.build(cfg)


def test_dccd_typo_from_the_config():
    # the user's path: `--cfg-options model.thetta=3.0` on a DCCD config
    cfg = Config.fromfile(config_path('tiny_dccd.py'))
    cfg.merge_from_dict({'model.thetta': 3.0})
    with pytest.raises(TypeError) as info:
        build(cfg.model)
    message = str(info.value)
    assert "DCCD got unknown argument(s) 'thetta' (did you mean 'theta'?)" \
        in message
    # the valid names: DCCD's own and those it passes on to
    # FrozenTeacherDistill, SingleTeacherDistill and BaseAlgorithm
    for name in ('theta', 'beta', 'terms', 'teacher_ckpt_strict',
                 'teacher_norm_eval', 'data_preprocessor', 'init_cfg'):
        assert f' {name},' in message or f' {name}.' in message, name
    assert message.endswith('Rename or remove it in the config.')


def test_accepted_arguments_follow_kwargs_up_the_chain():
    names = accepted_arguments(DCCD)
    assert {'theta', 'teacher_ckpt', 'teacher_ckpt_strict',
            'calculate_student_loss', 'architecture', 'init_cfg'} <= set(names)
    assert 'self' not in names and 'kwargs' not in names
    assert names == sorted(names)


def test_frozen_teacher_distill_typo():
    cfg = Config.fromfile(config_path('tiny_kd.py'))
    cfg.merge_from_dict({'model.teacher_ckpt_stric': False})
    with pytest.raises(TypeError, match=r"FrozenTeacherDistill got unknown "
                       r"argument\(s\) 'teacher_ckpt_stric' \(did you mean "
                       r"'teacher_ckpt_strict'\?\)"):
        build(cfg.model)


@pytest.mark.parametrize('cfg, typo, closest', [
    (dict(type='ChannelContrastiveLoss', thetta=1.0), 'thetta', 'theta'),
    (dict(type='DifferenceKDLoss', tua=4.0), 'tua', 'tau'),
    (dict(type='HintonKDLoss', loss_wieght=1.0), 'loss_wieght',
     'loss_weight'),
    (dict(type='ChannelCorrelationLoss', loss_weigth=1.0), 'loss_weigth',
     'loss_weight'),
    (dict(type='WeightedCRDLoss', temprature=0.07), 'temprature',
     'temperature'),
    (dict(type='MLPConnector', in_channels=4, out_channels=4,
          num_layer=2), 'num_layer', 'num_layers'),
])
def test_losses_and_connector_typos(cfg, typo, closest):
    with pytest.raises(TypeError, match=rf"got unknown argument\(s\) "
                       rf"'{typo}' \(did you mean '{closest}'\?\); its "
                       rf"arguments are .*\b{closest}\b"):
        build(cfg, scope='mmrazor')


def test_two_unknown_and_no_close_match():
    with pytest.raises(TypeError) as info:
        build(dict(type='MLPConnector', in_channels=4, out_channels=4,
                   num_layer=2, zzz=1), scope='mmrazor')
    message = str(info.value)
    assert "'num_layer' (did you mean 'num_layers'?), 'zzz';" in message
    assert ('its arguments are act_cfg, hidden_channels, in_channels, '
            'init_cfg, norm_cfg, num_layers, out_channels. Rename or remove '
            'them in the config.') in message


def test_valid_arguments_still_build():
    loss = build(dict(type='ChannelContrastiveLoss', theta=1.5), 'mmrazor')
    assert loss.theta == 1.5
