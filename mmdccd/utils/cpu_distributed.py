"""Distributed launches on a host without CUDA (gloo), for the tools."""
import torch
from mmengine.config import Config, ConfigDict


def setup_cpu_distributed(cfg: Config, launcher: str) -> None:
    """Make a distributed launch work on a host without CUDA.

    mmengine's defaults assume GPUs: the ``nccl`` backend,
    ``torch.cuda.set_device(LOCAL_RANK)`` in its pytorch launcher, and DDP
    with ``device_ids=[LOCAL_RANK]``. Without CUDA this sets the ``gloo``
    backend, wraps the model with ``device_ids=None`` (what DDP wants for CPU
    modules) and, for ``--launcher pytorch``, initialises the process group
    here so that mmengine does not call ``torch.cuda.set_device``. The slurm
    and mpi launchers are left to mmengine.

    Args:
        cfg (Config): The config, changed in place.
        launcher (str): The ``--launcher`` value.
    """
    if launcher == 'none' or torch.cuda.is_available():
        return
    env_cfg = cfg.setdefault('env_cfg', ConfigDict())
    dist_cfg = env_cfg.setdefault('dist_cfg', ConfigDict())
    dist_cfg['backend'] = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg') or ConfigDict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    if launcher == 'pytorch' and not torch.distributed.is_initialized():
        # env:// rendezvous from torchrun's RANK, WORLD_SIZE, MASTER_*.
        torch.distributed.init_process_group(backend='gloo')
