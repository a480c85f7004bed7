"""BatchRandomCropFlip: the distribution of mmpretrain's RandomCrop(padding)
+ RandomFlip, and equality with those per-sample transforms under fixed
draws, alone and inside MultiViewClsDataPreprocessor."""
from unittest import mock

import numpy as np
import pytest
import torch
from mmengine.dataset import default_collate, pseudo_collate
from mmpretrain.registry import TRANSFORMS
from mmpretrain.structures import DataSample

from mmdccd.models.data_preprocessors import MultiViewClsDataPreprocessor
from mmdccd.models.data_preprocessors.batch_views import BatchRandomCropFlip

MEAN, STD = [10., 20., 30.], [2., 4., 5.]


def per_sample(img_chw, offset_h, offset_w, flip, crop_size, padding):
    """The per-sample pipeline on one HWC array, its draws forced."""
    crop = TRANSFORMS.build(
        dict(type='RandomCrop', crop_size=crop_size, padding=padding))
    flip_t = TRANSFORMS.build(
        dict(type='RandomFlip', prob=0.5, direction='horizontal'))
    img = np.ascontiguousarray(img_chw.permute(1, 2, 0).numpy())
    with mock.patch('numpy.random.randint',
                    side_effect=[int(offset_h), int(offset_w)]):
        out = crop(dict(img=img))
    with mock.patch('numpy.random.choice',
                    return_value='horizontal' if flip else None):
        out = flip_t(out)
    return torch.from_numpy(np.ascontiguousarray(out['img'])).permute(2, 0, 1)


@pytest.mark.parametrize('crop_size,padding', [(5, 2), ((4, 6), 1), (7, 0)])
def test_fixed_draws_equal_the_per_sample_transforms(crop_size, padding):
    g = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (3, 3, 7, 6), generator=g,
                           dtype=torch.uint8)
    if crop_size == 7:
        crop_size = (7, 6)
    views = BatchRandomCropFlip(crop_size, padding)
    top, left = views.max_offsets(7, 6)
    n = 12  # 4 rows of each image
    source = torch.arange(3).repeat(4)
    offset_h = torch.randint(0, top + 1, (n, ), generator=g)
    offset_w = torch.randint(0, left + 1, (n, ), generator=g)
    flip = torch.arange(n) % 3 == 0
    got = views.crop_flip(images, source, offset_h, offset_w, flip)
    assert got.dtype == torch.uint8
    for r in range(n):
        want = per_sample(images[source[r]], offset_h[r], offset_w[r],
                          flip[r], crop_size, padding or None)
        torch.testing.assert_close(got[r], want, rtol=0, atol=0)


def test_draws_have_the_distribution_of_randomcrop_and_randomflip():
    """Offsets uniform on {0..H+2p-h} each, independent of each other and
    of the flip, flip ~ Bernoulli(prob); rows independent."""
    torch.manual_seed(0)
    n = 90_000
    offset_h, offset_w, flip = BatchRandomCropFlip(32, 4, prob=0.3).draw(
        n, 32, 32, torch.device('cpu'))
    assert offset_h.min() == 0 and offset_h.max() == 8
    # joint frequency of (offset_h, offset_w, flip) over 9 x 9 x 2 cells
    cell = (offset_h * 9 + offset_w) * 2 + flip.long()
    counts = torch.bincount(cell, minlength=162).double()
    expected = n * torch.tensor([0.7, 0.3]).repeat(81) / 81
    chi2 = float(((counts - expected)**2 / expected).sum())
    assert chi2 < 161 + 6 * (2 * 161)**0.5  # 161 dof, ~6 sigma
    # consecutive rows (view 1 and view 2 of an image are b rows apart,
    # any lag is the same) are uncorrelated
    h = offset_h.double() - offset_h.double().mean()
    lag = float((h[1:] * h[:-1]).mean() / h.var())
    assert abs(lag) < 5 / n**0.5
    # a crop the size of the padded image has the single offset 0
    offset_h, offset_w, _ = BatchRandomCropFlip(8, 0).draw(
        50, 8, 8, torch.device('cpu'))
    assert int(offset_h.abs().sum() + offset_w.abs().sum()) == 0


def test_crop_that_does_not_fit_is_an_error():
    with pytest.raises(ValueError, match=r'does not fit in images of'):
        BatchRandomCropFlip(12, 1)([torch.zeros(3, 8, 8)])
    with pytest.raises(ValueError, match='padding must be an int'):
        BatchRandomCropFlip(8, padding=(1, 2))
    two_views = [torch.zeros(2, 3, 8, 8, dtype=torch.uint8)] * 2
    with pytest.raises(ValueError, match='holds 2 views already'):
        MultiViewClsDataPreprocessor(batch_views=dict(crop_size=8))(
            dict(inputs=two_views), training=True)


@pytest.mark.parametrize('collate', [default_collate, pseudo_collate])
def test_preprocessor_draws_two_views_like_dualview(collate):
    """Packed once, both views drawn in the preprocessor: equal to the
    per-sample transforms with the same draws, then colour conversion and
    normalisation, view-major."""
    b = 4
    g = torch.Generator().manual_seed(1)
    images = torch.randint(0, 256, (b, 3, 6, 6), generator=g,
                           dtype=torch.uint8)
    samples = [
        dict(inputs=images[i], data_samples=DataSample().set_gt_label(i))
        for i in range(b)
    ]
    preprocessor = MultiViewClsDataPreprocessor(
        mean=MEAN, std=STD, to_rgb=True,
        batch_views=dict(crop_size=6, padding=2))
    torch.manual_seed(3)
    out = preprocessor(collate(samples), training=True)
    torch.manual_seed(3)
    offset_h, offset_w, flip = preprocessor.batch_views.draw(
        2 * b, 6, 6, torch.device('cpu'))
    mean = torch.tensor(MEAN).view(3, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1)
    want = torch.stack([
        (per_sample(images[r % b], offset_h[r], offset_w[r], flip[r], 6,
                    2)[[2, 1, 0]].float() - mean) / std for r in range(2 * b)
    ])
    torch.testing.assert_close(out['inputs'], want)
    assert [int(s.gt_label) for s in out['data_samples']] == \
        list(range(b)) * 2
    # validation stays single view, untouched by batch_views
    val = preprocessor(collate(samples), training=False)
    assert val['inputs'].shape == (b, 3, 6, 6)
    torch.testing.assert_close(
        val['inputs'], (images[:, [2, 1, 0]].float() - mean) / std)


@pytest.mark.cuda
def test_views_are_drawn_and_cropped_on_the_gpu():
    images = torch.randint(0, 256, (5, 3, 32, 32), dtype=torch.uint8)
    preprocessor = MultiViewClsDataPreprocessor(
        mean=MEAN, std=STD, batch_views=dict(crop_size=32, padding=4)).cuda()
    samples = [
        dict(inputs=images[i], data_samples=DataSample().set_gt_label(i))
        for i in range(5)
    ]
    torch.manual_seed(0)
    out = preprocessor(pseudo_collate(samples), training=True)
    assert out['inputs'].device.type == 'cuda'
    assert out['data_samples'][7].gt_label.device.type == 'cuda'
    torch.manual_seed(0)
    draws = preprocessor.batch_views.draw(10, 32, 32, torch.device('cuda'))
    assert all(d.device.type == 'cuda' for d in draws)
    want = preprocessor.batch_views.crop_flip(
        images, torch.arange(5).repeat(2), *(d.cpu() for d in draws))
    mean = torch.tensor(MEAN).view(3, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1)
    torch.testing.assert_close(out['inputs'].cpu(),
                               (want.float() - mean) / std)
