"""mmdccd.experiments.pipeline_benchmark: images a second counted over
whole batches, the median over passes, each mode's views."""
import itertools
from unittest import mock

import pytest
import torch

from mmdccd.experiments import pipeline_benchmark as pb


def fake_clock(durations):
    """perf_counter giving start 0 and end ``d`` for each pass."""
    return mock.patch.object(
        pb.time, 'perf_counter',
        side_effect=itertools.chain.from_iterable((0.0, d)
                                                  for d in durations))


@pytest.mark.parametrize('mode', sorted(pb.MODES))
def test_rate_is_the_median_over_passes_of_whole_batches(mode):
    # 10 images in batches of 4: 8 are timed; passes of 1, 2 and 4 s
    with fake_clock([1.0, 2.0, 4.0]):
        rate = pb.measure_with_preprocessor(mode, 10, 4, 3)
    assert rate == 8 / 2.0


def test_preprocessors_make_the_modes_views():
    torch.manual_seed(0)
    data = pb.inputs('cifar', 3, '', ())
    for mode, views in pb.MODES.items():
        pipe = pb.pipeline('cifar', views, augment=mode != 'batchviews')
        packed = [pipe(dict(d)) for d in data]
        out = pb.preprocessor(mode, 'cpu')(pb.pseudo_collate(packed), True)
        assert out['inputs'].shape == (3 * views, 3, 32, 32), mode
    unaugmented = pb.pipeline('cifar', 2, augment=False)(dict(data[0]))
    assert torch.equal(unaugmented['inputs'],
                       torch.from_numpy(data[0]['img']).permute(2, 0, 1))


def test_errors():
    with pytest.raises(ValueError, match='unknown mode'):
        pb.measure_with_preprocessor('triple', 8, 4, 1)
    with pytest.raises(ValueError, match='at least batch_size'):
        pb.measure_with_preprocessor('single', 2, 4, 1)
