"""DCCD*'s hard-label CE on upright rows: the rotation flag of every view
travels DualView -> PackInputs -> MultiViewClsDataPreprocessor -> the head,
and the CE is the mean over upright rows only (0 when there is none)."""
import math

import numpy as np
import pytest
import torch
from mmcv.transforms import BaseTransform
from mmengine.dataset import default_collate, pseudo_collate
from mmpretrain.registry import MODELS, TRANSFORMS
from mmpretrain.structures import DataSample

from mmdccd.models.data_preprocessors import MultiViewClsDataPreprocessor
from mmdccd.models.heads import upright_row_weights


class FixedTurns(BaseTransform):
    """Stands in for RandomRotate90: the quarter turns of each image's views
    are read from ``results['turns']`` in the order the views are made."""

    def transform(self, results):
        results['rotate90_k'] = results['turns'].pop(0)
        return results


def batch(turns, labels, collate):
    """b images through DualView(FixedTurns) + PackInputs, collated."""
    dual = TRANSFORMS.build(dict(type='DualView', transforms=[FixedTurns()]))
    pack = TRANSFORMS.build(
        dict(type='PackInputs', algorithm_keys=['rotate90_k']))
    samples = []
    for k, label in zip(turns, labels):
        results = dict(img=np.zeros((2, 2, 3), np.uint8), gt_label=label,
                       turns=list(k))
        samples.append(pack(dual(results)))
    return collate(samples)


def head(hard_label_rows='upright'):
    """Two classes, zero weights, bias (0, ln 3): p = (1/4, 3/4) on every
    row, so CE is ln 4 for label 0 and ln(4/3) for label 1."""
    module = MODELS.build(
        dict(type='UprightLinearClsHead', hard_label_rows=hard_label_rows,
             num_classes=2, in_channels=1,
             loss=dict(type='CrossEntropyLoss')))
    with torch.no_grad():
        module.fc.weight.zero_()
        module.fc.bias.copy_(torch.tensor([0.0, math.log(3.0)]))
    return module


def test_row_weights_by_hand():
    samples = [DataSample() for _ in range(4)]
    for sample, k in zip(samples, (0, 2, 0, 1)):
        sample.set_field(k, 'rotate90_k')
    # 2 of 4 upright: weights 4 / 2 on them, 0 on the rotated rows
    assert upright_row_weights(samples).tolist() == [2.0, 0.0, 2.0, 0.0]
    # a row without the field (validation pipelines) counts as upright
    assert upright_row_weights([DataSample()]).tolist() == [1.0]
    rotated = samples[1:2] + samples[3:]
    assert upright_row_weights(rotated).tolist() == [0.0, 0.0]


@pytest.mark.parametrize('collate', [pseudo_collate, default_collate])
def test_per_row_weights_reach_the_loss(collate):
    # 3 images; quarter turns (view 1, view 2) and labels:
    turns = [(0, 2), (1, 0), (0, 0)]
    data = batch(turns, labels=[0, 1, 1], collate=collate)
    out = MultiViewClsDataPreprocessor(num_views=2)(data, training=True)
    rows = out['data_samples']
    # view-major rows: view 1 of images 0..2, then view 2 of images 0..2
    assert [s.rotate90_k for s in rows] == [0, 1, 0, 2, 0, 0]
    assert [int(s.gt_label) for s in rows] == [0, 1, 1, 0, 1, 1]

    feats = (torch.zeros(6, 1), )
    ln4, ln43 = math.log(4.0), math.log(4.0 / 3.0)
    # upright rows: (view 1, image 0: label 0), (1, 2: 1), (2, 1: 1), (2, 2: 1)
    loss = head().loss(feats, rows)['loss']
    assert loss.item() == pytest.approx((ln4 + 3 * ln43) / 4, abs=1e-6)
    # today's wiring: CE over all six rows
    loss_all = head('all').loss(feats, rows)['loss']
    assert loss_all.item() == pytest.approx((2 * ln4 + 4 * ln43) / 6,
                                            abs=1e-6)


def test_no_upright_row_gives_zero_not_nan():
    data = batch([(1, 3), (2, 1)], labels=[0, 1], collate=pseudo_collate)
    rows = MultiViewClsDataPreprocessor(num_views=2)(
        data, training=True)['data_samples']
    module = head()
    loss = module.loss((torch.ones(4, 1), ), rows)['loss']
    assert loss.item() == 0.0
    loss.backward()
    assert module.fc.bias.grad.abs().max().item() == 0.0


def test_bad_option():
    with pytest.raises(ValueError, match="'upright', 'all'"):
        MODELS.build(dict(type='UprightLinearClsHead', hard_label_rows='up',
                          num_classes=2, in_channels=1))
