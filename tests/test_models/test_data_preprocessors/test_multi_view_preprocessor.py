"""MultiViewClsDataPreprocessor: per-view colour/normalisation, view-major
stacking, label repetition, both collate functions, single-view passthrough."""
import pytest
import torch
from mmengine.dataset import default_collate, pseudo_collate
from mmpretrain.models.utils import ClsDataPreprocessor
from mmpretrain.structures import DataSample

from mmdccd.models.data_preprocessors import MultiViewClsDataPreprocessor

MEAN, STD = [10., 20., 30.], [2., 4., 5.]


def packed_samples(b, size=4):
    """What DualView + PackInputs give for b images: 2 uint8 views each."""
    g = torch.Generator().manual_seed(0)
    samples = []
    for i in range(b):
        views = [
            torch.randint(0, 256, (3, size, size), generator=g,
                          dtype=torch.uint8) for _ in range(2)
        ]
        samples.append(
            dict(inputs=views,
                 data_samples=DataSample().set_gt_label(i % 5)))
    return samples


def expected_rows(samples):
    """Naive: per image and view, BGR->RGB then normalise, view-major."""
    mean = torch.tensor(MEAN).view(3, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1)
    rows = []
    for view in range(2):
        for sample in samples:
            img = sample['inputs'][view].float()
            rows.append((img[[2, 1, 0]] - mean) / std)
    return torch.stack(rows)


@pytest.mark.parametrize('collate', [default_collate, pseudo_collate])
@pytest.mark.parametrize('b', [3, 4])
def test_two_views_stacked_view_major(collate, b):
    samples = packed_samples(b)
    preprocessor = MultiViewClsDataPreprocessor(
        mean=MEAN, std=STD, to_rgb=True)
    out = preprocessor(collate(samples), training=True)
    torch.testing.assert_close(out['inputs'], expected_rows(samples))
    labels = [int(s.gt_label) for s in out['data_samples']]
    assert labels == [i % 5 for i in range(b)] * 2
    # the second view's samples are copies, not the same objects
    assert out['data_samples'][0] is not out['data_samples'][b]


def test_single_view_is_unchanged_for_validation():
    samples = [
        dict(inputs=s['inputs'][0], data_samples=s['data_samples'])
        for s in packed_samples(3)
    ]
    ours = MultiViewClsDataPreprocessor(mean=MEAN, std=STD, to_rgb=True)
    reference = ClsDataPreprocessor(mean=MEAN, std=STD, to_rgb=True)
    for collate in (default_collate, pseudo_collate):
        a = ours(collate(samples), training=False)
        b = reference(collate(samples), training=False)
        torch.testing.assert_close(a['inputs'], b['inputs'])
        assert len(a['data_samples']) == 3


def test_single_view_in_training_is_an_error():
    samples = [
        dict(inputs=s['inputs'][0], data_samples=s['data_samples'])
        for s in packed_samples(3)
    ]
    with pytest.raises(ValueError, match=r'one view \(inputs \(3, 3, 4, 4\)'):
        MultiViewClsDataPreprocessor()(default_collate(samples), True)


def test_mixup_mixes_both_views_alike():
    torch.manual_seed(0)
    samples = packed_samples(6)
    preprocessor = MultiViewClsDataPreprocessor(
        num_classes=5,
        batch_augments=dict(augments=dict(type='Mixup', alpha=1.0)))
    raw = default_collate(samples)
    out = preprocessor(raw, training=True)
    x1, x2 = (v.float().flatten(1) for v in raw['inputs'])
    v1, v2 = out['inputs'][:6].flatten(1), out['inputs'][6:].flatten(1)
    scores = torch.stack([s.gt_score for s in out['data_samples']])
    torch.testing.assert_close(scores[:6], scores[6:])
    for i in range(6):
        # recover (lam, partner) of row i from view 1 by least squares ...
        best = None
        for j in range(6):
            direction = x1[i] - x1[j]
            if direction.abs().sum() == 0:
                continue
            lam = ((v1[i] - x1[j]) @ direction) / (direction @ direction)
            residual = (v1[i] - x1[j] - lam * direction).abs().max()
            if best is None or residual < best[0]:
                best = (residual, j, lam)
        residual, j, lam = best
        if (v1[i] - x1[i]).abs().max() < 1e-3:  # paired with itself
            torch.testing.assert_close(v2[i], x2[i])
            continue
        assert residual < 1e-3
        # ... and view 2 of row i is mixed with the same partner and weight
        torch.testing.assert_close(
            v2[i], lam * x2[i] + (1 - lam) * x2[j], rtol=1e-4, atol=1e-3)


def test_view_keys_are_split_per_row():
    samples = packed_samples(3)
    for i, sample in enumerate(samples):  # (view 1, view 2) quarter turns
        sample['data_samples'].set_field([i, 3 - i], 'rotate90_k')
    batch = pseudo_collate(samples)
    out = MultiViewClsDataPreprocessor()(batch, True)
    assert [s.rotate90_k for s in out['data_samples']] == [0, 1, 2, 3, 2, 1]
    # the batch keeps its per-view values: preprocessing it again is the same
    again = MultiViewClsDataPreprocessor()(batch, True)
    assert [s.rotate90_k for s in again['data_samples']] == [0, 1, 2, 3, 2, 1]
    samples[0]['data_samples'].set_field([1], 'rotate90_k')
    with pytest.raises(ValueError, match='one value for each of the 2 views'):
        MultiViewClsDataPreprocessor()(pseudo_collate(samples), True)
