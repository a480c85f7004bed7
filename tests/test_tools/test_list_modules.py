"""tools/analysis_tools/list_modules.py: shapes of every module of a CIFAR
pair and of a ViT pair, and the recorders DCCD uses."""
import importlib.util
import os.path as osp

import pytest

from tests.utils import REPO_ROOT

TOOL = 'tools/analysis_tools/list_modules.py'


def run(capsys, *argv):
    spec = importlib.util.spec_from_file_location(
        '_list_modules', osp.join(REPO_ROOT, TOOL))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main([str(a) for a in argv])
    return capsys.readouterr().out.splitlines()


def test_cifar_pair(capsys):
    lines = run(capsys, 'configs/dccd/r56_r20_c100.py')
    # resnet20 / resnet56: 16-32-64 channels at 32-16-8 pixels
    assert '== student: ImageClassifier (71 modules ran once) ==' in lines
    assert ('backbone.layer3  [ResLayer]  in (2, 32, 16, 16) -> out '
            '(2, 64, 8, 8)') in lines
    assert ('head.fc  [Linear]  in (2, 64) -> out (2, 100)  '
            '<- feature (input) <- logits (output)') in lines
    assert ("DCCD teacher: teacher_feat_source='head.fc' "
            "teacher_logits_source='head.fc' teacher_feat_dim=64") in lines


def test_vit_pair_at_its_size(capsys):
    pytest.importorskip('timm')
    lines = run(
        capsys, 'configs/any_pair/vit-b16-timm_r18_in1k.py', '--input-size',
        64, '--cfg-options', 'model.teacher.model_name=vit_tiny_patch16_224',
        'model.teacher.pretrained=False', 'model.teacher.depth=1')
    # the teacher declares 224 px: 14 x 14 patches + the class token
    assert ('model.blocks.0  [Block]  in (2, 197, 192) -> out '
            '(2, 197, 192)') in lines
    assert ('model.fc_norm  [Identity]  in (2, 192) -> out (2, 192)  '
            '<- feature (input)') in lines
    assert ("DCCD teacher: teacher_feat_source='model.fc_norm' "
            "teacher_logits_source='model.head' teacher_feat_dim=192") in lines
    # the ResNet-18 student at the asked 64 px: 2 x 2 in the last stage
    assert ('backbone.layer4  [ResLayer]  in (2, 256, 4, 4) -> out '
            '(2, 512, 2, 2)') in lines
    assert ("DCCD student: student_feat_source='head.fc' "
            "student_logits_source='head.fc' student_feat_dim=512") in lines
