"""class_count reads a classifier's classes whatever built it (mmpretrain,
timm, torchvision, a bare module); check_logit_classes uses it."""
import mmdccd  # noqa: F401
import pytest
from mmpretrain.registry import MODELS
from mmrazor.models.losses import KLDivergence
from torch import nn

from mmdccd.models.losses import ChannelContrastiveLoss
from mmdccd.models.utils import ClassCount, check_logit_classes, class_count
from tests.utils import tiny_classifier


@pytest.mark.parametrize('cfg, expected', [
    (tiny_classifier(4, num_classes=7),
     ClassCount(7, 'head.num_classes', 'head.num_classes')),
    (dict(type='TimmClassifier', model_name='resnet18', num_classes=7),
     ClassCount(7, 'model.num_classes', 'num_classes')),
    (dict(type='TorchvisionClassifier', model_name='resnet18',
          num_classes=7),
     ClassCount(7, 'model.fc.out_features', 'num_classes')),
    (dict(type='TorchvisionClassifier', model_name='mobilenet_v2',
          num_classes=7),
     ClassCount(7, 'model.classifier.1.out_features', 'num_classes')),
])
def test_class_count_of_each_library(cfg, expected):
    assert class_count(MODELS.build(cfg)) == expected


def test_class_count_of_a_bare_module():
    net = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3))
    assert class_count(net) == ClassCount(3, '2.out_features', None)
    found = class_count(nn.Conv2d(3, 3, 1))
    assert found.count is None
    assert 'Conv2d has no head.num_classes, no num_classes and no linear' \
        in found.source


def test_check_logit_classes_names_both_counts():
    student = MODELS.build(tiny_classifier(4, num_classes=3))
    teacher = MODELS.build(
        dict(type='TorchvisionClassifier', model_name='resnet18',
             num_classes=10))
    with pytest.raises(ValueError) as error:
        check_logit_classes(student, teacher, dict(loss_kd=KLDivergence()))
    assert str(error.value).startswith(
        "the logit terms ['loss_kd'] compare class distributions, but the "
        'teacher has 10 classes and the student 3 (read from '
        'teacher.model.fc.out_features and architecture.head.num_classes).')
    # feature terms compare no classes
    check_logit_classes(student, teacher,
                        dict(loss_ccd=ChannelContrastiveLoss()))


def test_check_logit_classes_says_when_it_cannot(monkeypatch):
    from mmdccd.models.utils import class_counts as module
    lines = []
    monkeypatch.setattr(module, 'print_log',
                        lambda msg, logger=None: lines.append(msg))
    student = MODELS.build(tiny_classifier(4, num_classes=3))
    check_logit_classes(student, nn.Conv2d(3, 3, 1),
                        dict(loss_kd=KLDivergence()))
    assert lines == [
        "cannot check that the logit terms ['loss_kd'] compare the same "
        'classes (teacher: Conv2d has no head.num_classes, no num_classes '
        'and no linear layer)'
    ]
