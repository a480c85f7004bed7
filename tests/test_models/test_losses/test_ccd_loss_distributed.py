"""gather_distributed=True over 2 gloo processes equals one process on the
concatenated batch (values and gradients)."""
import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from mmdccd.models.losses import ChannelContrastiveLoss

WORLD_SIZE, ROWS, CHANNELS = 2, 5, 4


def _inputs():
    """Per-rank view-major batches of 2 x ROWS rows, fixed by the seed."""
    g = torch.Generator().manual_seed(0)
    s = torch.randn(WORLD_SIZE, 2, ROWS, CHANNELS, generator=g,
                    dtype=torch.float64)
    t = torch.randn(WORLD_SIZE, 2, ROWS, CHANNELS, generator=g,
                    dtype=torch.float64)
    return s, t


def _worker(rank, port, out_dir):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group('gloo', rank=rank, world_size=WORLD_SIZE)
    s, t = _inputs()
    local_s = s[rank].reshape(2 * ROWS, CHANNELS).clone().requires_grad_()
    local_t = t[rank].reshape(2 * ROWS, CHANNELS)
    loss = ChannelContrastiveLoss(gather_distributed=True)(local_s, local_t)
    loss.backward()
    torch.save(dict(loss=loss.detach(), grad=local_s.grad),
               os.path.join(out_dir, f'rank{rank}.pth'))
    dist.destroy_process_group()


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_gather_distributed_matches_single_process(tmp_path):
    mp.spawn(
        _worker, args=(_free_port(), str(tmp_path)), nprocs=WORLD_SIZE)

    s, t = _inputs()
    # one process, N * b rows a view: view 1 of all ranks, then view 2
    global_s = s.transpose(0, 1).reshape(-1, CHANNELS).clone()
    global_s.requires_grad_()
    global_t = t.transpose(0, 1).reshape(-1, CHANNELS)
    expected = ChannelContrastiveLoss()(global_s, global_t)
    expected.backward()
    grad = global_s.grad.reshape(2, WORLD_SIZE, ROWS, CHANNELS)

    for rank in range(WORLD_SIZE):
        result = torch.load(tmp_path / f'rank{rank}.pth')
        torch.testing.assert_close(result['loss'], expected.detach())
        # Each rank backpropagates the same global loss; its local rows get
        # the sum over ranks, i.e. WORLD_SIZE x the single-process gradient,
        # which DDP's averaging over WORLD_SIZE ranks turns back into it.
        torch.testing.assert_close(
            result['grad'] / WORLD_SIZE,
            grad[:, rank].reshape(2 * ROWS, CHANNELS))


def test_without_process_group_is_plain_loss():
    s, t = _inputs()
    x, y = s[0].reshape(-1, CHANNELS), t[0].reshape(-1, CHANNELS)
    torch.testing.assert_close(
        ChannelContrastiveLoss(gather_distributed=True)(x, y),
        ChannelContrastiveLoss()(x, y))
