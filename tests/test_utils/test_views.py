import pytest
import torch

from mmdccd.utils import split_views, stack_views


def test_view_major_round_trip():
    v1, v2 = torch.arange(6).view(3, 2), 10 + torch.arange(6).view(3, 2)
    stacked = stack_views([v1, v2])
    assert stacked[:3].equal(v1) and stacked[3:].equal(v2)
    a, b = split_views(stacked)
    assert a.equal(v1) and b.equal(v2)


def test_errors_name_the_shape():
    with pytest.raises(ValueError, match=r'5 rows \(shape \(5, 2\)\)'):
        split_views(torch.zeros(5, 2))
    with pytest.raises(ValueError, match='at least 2 rows'):
        split_views(torch.zeros(2, 2), min_rows=2)
    with pytest.raises(ValueError, match='same shape'):
        stack_views([torch.zeros(2, 2), torch.zeros(3, 2)])
