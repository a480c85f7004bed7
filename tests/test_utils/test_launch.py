"""run_tool: the ranks meet at a barrier after a main that returned, never
after one that raised, and the process group is destroyed either way."""
import pytest
import torch
import torch.distributed as dist

from mmdccd.utils.launch import run_tool
from tests.utils import free_port


@pytest.fixture
def gloo_group(monkeypatch):
    """A one-process gloo group whose barrier and destroy are recorded."""
    dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{free_port()}', rank=0,
        world_size=1)
    calls = []
    barrier, destroy = dist.barrier, dist.destroy_process_group

    def recorded_barrier(*args, **kwargs):
        calls.append('barrier')
        return barrier(*args, **kwargs)

    def recorded_destroy(*args, **kwargs):
        calls.append('destroy')
        return destroy(*args, **kwargs)

    monkeypatch.setattr(torch.distributed, 'barrier', recorded_barrier)
    monkeypatch.setattr(torch.distributed, 'destroy_process_group',
                        recorded_destroy)
    yield calls
    if dist.is_initialized():
        destroy()


def test_run_tool_meets_at_a_barrier_then_destroys(gloo_group):
    run_tool(lambda: gloo_group.append('main'))
    assert gloo_group == ['main', 'barrier', 'destroy']
    assert not dist.is_initialized()


def test_run_tool_after_an_error_destroys_without_a_barrier(gloo_group):

    def main():
        gloo_group.append('main')
        raise RuntimeError('a rank failed')

    with pytest.raises(RuntimeError, match='a rank failed'):
        run_tool(main)
    assert gloo_group == ['main', 'destroy']
    assert not dist.is_initialized()


def test_run_tool_without_a_process_group():
    ran = []
    run_tool(lambda: ran.append(True))
    assert ran == [True] and not dist.is_initialized()
