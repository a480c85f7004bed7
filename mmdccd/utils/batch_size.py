"""Say at start when a run's total batch is not the one its lr was set for.
"""
import logging
from typing import Optional

from mmengine.config import Config
from mmengine.logging import print_log


def batch_size_warning(cfg: Config, world_size: int) -> Optional[str]:
    """The warning for a total batch that differs from
    ``auto_scale_lr.base_batch_size`` while the lr is not scaled.

    A recipe's lr is set for a total batch (``auto_scale_lr =
    dict(base_batch_size=...)``: 256 for the ImageNet schedule, 64 for
    CIFAR-100). Run with another total batch (processes x
    ``train_dataloader.batch_size``) and without ``--auto-scale-lr``, the lr
    is used as written, for a batch of another size.

    Args:
        cfg (Config): The run's config, ``--cfg-options`` merged and
            ``--auto-scale-lr`` applied (``auto_scale_lr.enable``).
        world_size (int): The number of training processes.

    Returns:
        str | None: The warning, or None where the batch is the base batch,
        the lr is scaled, or the config names no base batch.
    """
    scale = cfg.get('auto_scale_lr') or {}
    base = scale.get('base_batch_size')
    batch = (cfg.get('train_dataloader') or {}).get('batch_size')
    if base is None or batch is None or scale.get('enable', False):
        return None
    total = world_size * batch
    if total == base:
        return None
    process = 'process' if world_size == 1 else 'processes'
    return (f'the total batch is {total} images ({world_size} {process} x '
            f'train_dataloader.batch_size={batch}), but the lr was set for '
            f'auto_scale_lr.base_batch_size={base}, and --auto-scale-lr is '
            f'off: the lr is used as written, for a batch {base / total:g} '
            f'times this one. Pass --auto-scale-lr to scale the lr by '
            f'{total}/{base}, or make processes x batch size {base}.')


def warn_batch_size(cfg: Config, world_size: int) -> None:
    """Log :func:`batch_size_warning` as a warning, if there is one."""
    message = batch_size_warning(cfg, world_size)
    if message is not None:
        print_log(message, logger='current', level=logging.WARNING)
