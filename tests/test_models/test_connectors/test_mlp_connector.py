import pytest
import torch
import torch.nn as nn

from mmdccd.models.connectors import MLPConnector


def test_single_layer_is_one_linear_map():
    connector = MLPConnector(6, 4, num_layers=1)
    linears = [m for m in connector.modules() if isinstance(m, nn.Linear)]
    assert len(linears) == 1
    x = torch.randn(5, 6)
    torch.testing.assert_close(connector(x),
                               x @ linears[0].weight.T + linears[0].bias)


def test_default_is_two_layers_with_bn_relu():
    connector = MLPConnector(6, 4)
    kinds = [type(m) for m in connector.layers]
    assert kinds == [nn.Linear, nn.BatchNorm1d, nn.ReLU, nn.Linear]
    assert connector.layers[0].out_features == 4
    connector.eval()
    x = torch.randn(3, 6)
    lin1, bn, _, lin2 = connector.layers
    hidden = torch.relu(bn(lin1(x)))
    torch.testing.assert_close(connector(x), lin2(hidden))
    # pooled 4-D maps are flattened
    torch.testing.assert_close(connector(x[:, :, None, None]), connector(x))


def test_wrong_width_is_clear():
    with pytest.raises(ValueError, match=r'\(N, 6\), got \(2, 5\)'):
        MLPConnector(6, 4)(torch.randn(2, 5))
