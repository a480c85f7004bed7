"""TorchvisionClassifier: a torchvision model by name, trained and evaluated
as an mmpretrain classifier, loading and saving torchvision's own format."""
import pytest
import torch
import torchvision
from mmengine.registry import init_default_scope
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import mmdccd  # noqa: F401


def build(**kwargs):
    init_default_scope('mmpretrain')
    return MODELS.build(
        dict(type='TorchvisionClassifier', model_name='resnet18',
             num_classes=3, **kwargs))


def test_torchvision_state_dict_round_trip_and_logits():
    torch.manual_seed(0)
    reference = torchvision.models.resnet18(num_classes=3).eval()
    model = build()
    # torchvision's own keys load as they are ...
    model.load_state_dict(reference.state_dict())
    # ... and saved keys load back into torchvision directly
    assert set(model.state_dict()) == set(reference.state_dict())
    model.eval()
    x = torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(model(x), reference(x))


def test_loss_and_predict():
    model = build()
    model.eval()
    x = torch.randn(2, 3, 32, 32)
    samples = [DataSample().set_gt_label(i) for i in (0, 2)]
    with torch.no_grad():
        logits = model(x)
        loss = model(x, samples, mode='loss')['loss']
        preds = model(x, samples, mode='predict')
    expected = torch.nn.functional.cross_entropy(logits, torch.tensor([0, 2]))
    torch.testing.assert_close(loss, expected)
    assert [int(p.pred_label) for p in preds] == logits.argmax(1).tolist()


def test_unknown_name_lists_the_choices():
    init_default_scope('mmpretrain')
    with pytest.raises(ValueError, match=r"got 'resnet19'.*resnet18"):
        MODELS.build(dict(type='TorchvisionClassifier', model_name='resnet19'))
