"""CPUAmpOptimWrapper: bfloat16 autocast in the forward of train_step on a
host without a GPU; float32 parameters, gradients and update."""
import pytest
import torch
import torch.nn as nn
from mmengine.model import BaseModel
from mmengine.optim import build_optim_wrapper

import mmdccd  # noqa: F401
from mmdccd.engine.optimizers import CPUAmpOptimWrapper


class Linear(BaseModel):

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        self.seen = []

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.fc(inputs)
        self.seen.append(out.dtype)
        return dict(loss=out.float().pow(2).mean()) if mode == 'loss' else out


def test_train_step_autocasts_the_forward_only():
    torch.manual_seed(0)
    model = Linear()
    wrapper = build_optim_wrapper(
        model,
        dict(type='CPUAmpOptimWrapper',
             optimizer=dict(type='SGD', lr=0.5)))
    assert isinstance(wrapper, CPUAmpOptimWrapper)
    x = torch.randn(8, 4)
    weight = model.fc.weight.detach().clone()
    model.train_step(dict(inputs=x), wrapper)
    assert model.seen == [torch.bfloat16]
    assert model.fc.weight.dtype == torch.float32
    assert not torch.equal(model.fc.weight, weight)  # updated
    # outside the wrapper's context the model runs in float32
    model(x)
    assert model.seen[-1] == torch.float32


def test_bad_dtype_is_a_clear_error():
    with pytest.raises(ValueError, match="such as 'bfloat16'"):
        CPUAmpOptimWrapper(
            dtype='bfloat17',
            optimizer=torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=1))
