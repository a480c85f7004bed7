"""DDP equals one process: DCCD trained for a few SGD steps by 2 gloo
processes of b images each (CCD over the global batch,
``gather_distributed=True``) ends at the same student and connector weights
as one process on the 2b images, up to float32 reduction order.

Both runs see the same rows: the views are deterministic (an image and its
mirror image), rank r takes images [r*b, (r+1)*b) of every global batch. The
student and connector normalise per sample (GroupNorm, no norm), so their
outputs do not depend on the batch split; the teacher is frozen in eval
mode. BatchNorm needs SyncBatchNorm for this, which torch runs on GPUs only:
that variant runs on hosts with two GPUs."""
import os

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample
from mmrazor.registry import MODELS

import mmdccd  # noqa: F401
from tests.utils import free_port, tiny_classifier

WORLD_SIZE, B, STEPS, SIZE, CLASSES = 2, 4, 3, 8, 5
GN = dict(type='GN', num_groups=2)


def build(student_norm: dict, connector_norm, gather: bool):
    init_default_scope('mmpretrain')
    torch.manual_seed(0)  # the same initial weights in every process
    student = tiny_classifier(4, num_classes=CLASSES)
    student['backbone']['norm_cfg'] = student_norm
    model = MODELS.build(
        dict(
            _scope_='mmrazor',
            type='DCCD',
            architecture=student,
            teacher=tiny_classifier(8, num_classes=CLASSES),
            student_feat_dim=32,
            teacher_feat_dim=64,
            connector=dict(type='MLPConnector', num_layers=2,
                           norm_cfg=connector_norm),
            gather_distributed=gather,
            data_preprocessor=dict(
                type='MultiViewClsDataPreprocessor', num_views=2)))
    model.init_weights()
    return model


def global_batches():
    """STEPS batches of 2b images and labels, fixed by the seed."""
    g = torch.Generator().manual_seed(1)
    return [(torch.randn(WORLD_SIZE * B, 3, SIZE, SIZE, generator=g),
             torch.randint(0, CLASSES, (WORLD_SIZE * B, ), generator=g))
            for _ in range(STEPS)]


def stacked(images, labels):
    """Two deterministic views stacked view-major: rows [0, n) the images,
    [n, 2n) their mirror images; labels repeated per view."""
    inputs = torch.cat([images, images.flip(-1)])
    samples = [DataSample().set_gt_label(int(y)) for y in labels] * 2
    return inputs, samples


def train(model, rows: slice, device='cpu'):
    """SGD with momentum on ``rows`` of each global batch; returns the
    student and connector weights."""
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(trainable, lr=0.01, momentum=0.9)
    model.train()
    for images, labels in global_batches():
        inputs, samples = stacked(images[rows].to(device), labels[rows])
        losses = model(inputs, samples, mode='loss')
        optimizer.zero_grad()
        sum(losses.values()).backward()
        optimizer.step()
    module = getattr(model, 'module', model)
    state = module.state_dict()
    return {
        k: v.detach().cpu().clone()
        for k, v in state.items()
        if k.startswith(('architecture.', 'distiller.connectors.'))
    }


def _worker(rank, port, out_dir, backend, student_norm, connector_norm):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group(backend, rank=rank, world_size=WORLD_SIZE)
    device = f'cuda:{rank}' if backend == 'nccl' else 'cpu'
    model = build(student_norm, connector_norm, gather=True).to(device)
    if backend == 'nccl':
        model = torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)
    ddp = torch.nn.parallel.DistributedDataParallel(
        model, device_ids=[rank] if backend == 'nccl' else None)
    state = train(ddp, slice(rank * B, (rank + 1) * B), device)
    torch.save(state, os.path.join(out_dir, f'rank{rank}.pth'))
    dist.destroy_process_group()


def check_ddp_equals_one_process(tmp_path, backend, student_norm,
                                 connector_norm, start_method):
    mp.start_processes(
        _worker,
        args=(free_port(), str(tmp_path), backend, student_norm,
              connector_norm),
        nprocs=WORLD_SIZE,
        start_method=start_method)
    device = 'cuda:0' if backend == 'nccl' else 'cpu'
    single = build(student_norm, connector_norm, gather=False).to(device)
    expected = train(single, slice(0, WORLD_SIZE * B), device)
    initial = build(student_norm, connector_norm, gather=False).state_dict()
    for rank in range(WORLD_SIZE):
        result = torch.load(tmp_path / f'rank{rank}.pth', weights_only=True)
        assert result.keys() == expected.keys()
        for key, value in expected.items():
            torch.testing.assert_close(
                result[key], value, rtol=1e-4, atol=1e-5, msg=key)
    # the weights did move: the comparison is not of initial weights
    moved = (expected['architecture.head.fc.weight'] -
             initial['architecture.head.fc.weight']).abs().max()
    assert moved > 1e-3


def test_ddp_equals_one_process_on_the_cpu(tmp_path):
    # spawn, not fork: a forked child that trains convolutions can deadlock
    # in the OpenMP pool the parent's earlier tests started (it hung the
    # full suite)
    check_ddp_equals_one_process(tmp_path, 'gloo', GN, None, 'spawn')


@pytest.mark.skipif(
    torch.cuda.device_count() < 2,
    reason='SyncBatchNorm runs on GPUs only and NCCL needs a GPU a rank')
def test_ddp_with_sync_batchnorm_equals_one_process(tmp_path):
    check_ddp_equals_one_process(tmp_path, 'nccl', dict(type='BN'),
                                 dict(type='BN1d'), 'spawn')
