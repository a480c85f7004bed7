"""The wall time of a full CIFAR-100 run, predicted from a short one.

:func:`predict_run_time` runs a shipped config
(``configs/dccd/r56_r20_c100.py`` by default) through mmengine's
``Runner`` — its hooks, logging and the per-epoch validation included — on
generated data of CIFAR-100's shape and
format (50,000 training and 10,000 test images of ``32 x 32``, written as
``cifar-100-python/{train,test,meta}``), for a few epochs of a given number
of iterations each, and scales the measured time to the config's schedule
(240 epochs of 782 iterations for the CIFAR recipe):

    predicted = epochs x (iterations an epoch x s / iteration + validation s)

with the seconds an iteration taken after the first epoch (compilation,
CUDA graph capture and the data loader's start are in the first) and the
validation time measured on the full test split. On CUDA the fast path is
used as shipped (the frozen teacher BN-folded, channels_last) and the
student and teacher copy are compiled with ``mode='reduce-overhead'`` (CUDA
graphs) where triton is installed, else with ``backend='cudagraphs'``.
"""
import os
import os.path as osp
import pickle
import time
from typing import Dict, List, Optional

import numpy as np
from mmengine.config import Config
from mmengine.hooks import Hook

from .benchmark import REPO_ROOT

#: CIFAR-100's training and test images.
CIFAR100_SIZES = (50000, 10000)


def write_cifar100_like(root: str,
                        sizes=CIFAR100_SIZES,
                        seed: int = 0) -> str:
    """Random images in CIFAR-100's python format (``data`` uint8 ``N x
    3072``, ``fine_labels``), under ``root/cifar-100-python``; returns
    ``root``."""
    rng = np.random.default_rng(seed)
    folder = osp.join(root, 'cifar-100-python')
    os.makedirs(folder, exist_ok=True)
    for split, n in zip(('train', 'test'), sizes):
        with open(osp.join(folder, split), 'wb') as f:
            pickle.dump(
                dict(data=rng.integers(0, 256, (n, 3072), np.uint8),
                     fine_labels=[i % 100 for i in range(n)],
                     coarse_labels=[i % 20 for i in range(n)]), f)
    with open(osp.join(folder, 'meta'), 'wb') as f:
        pickle.dump(dict(fine_label_names=[f'c{i}' for i in range(100)]), f)
    return root


class EpochTimer(Hook):
    """Wall seconds of each training epoch (training iterations only) and
    of each validation."""

    def __init__(self) -> None:
        self.train, self.val, self.iters = [], [], []
        self._start = 0.0

    def before_train_epoch(self, runner) -> None:
        self._sync()
        self._start = time.perf_counter()
        self._iter0 = runner.iter

    def after_train_epoch(self, runner) -> None:
        self._sync()
        self.train.append(time.perf_counter() - self._start)
        self.iters.append(runner.iter - self._iter0)

    def before_val_epoch(self, runner) -> None:
        self._sync()
        self._start = time.perf_counter()

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._sync()
        self.val.append(time.perf_counter() - self._start)

    @staticmethod
    def _sync() -> None:
        import torch
        if torch.cuda.is_available():
            torch.cuda.synchronize()


def compile_options(device: str) -> Optional[Dict]:
    """CUDA graphs for the small CIFAR networks on CUDA (inductor's
    ``reduce-overhead`` with triton, else the ``cudagraphs`` backend); no
    compilation on the CPU."""
    if not device.startswith('cuda'):
        return None
    try:
        import triton  # noqa: F401
    except ImportError:
        return dict(backend='cudagraphs')
    return dict(mode='reduce-overhead')


def predict_run_time(work_dir: str,
                     config: str = 'configs/dccd/r56_r20_c100.py',
                     epochs: int = 2,
                     iters_per_epoch: int = 100,
                     device: str = 'cuda',
                     compile: Optional[Dict] = None,
                     sizes=CIFAR100_SIZES,
                     num_workers: Optional[int] = None) -> Dict:
    """Run ``epochs`` short epochs of ``config`` and predict its full run.

    Args:
        work_dir (str): Data and logs go here.
        config (str): A CIFAR-100 distillation config, relative to the
            repository. Defaults to ``configs/dccd/r56_r20_c100.py``.
        epochs (int): Epochs run (at least 2: the first is not timed).
            Defaults to 2.
        iters_per_epoch (int): Training iterations of each short epoch (the
            training split is cut to as many batches). Defaults to 100.
        device (str): ``'cuda'`` or ``'cpu'``. Defaults to ``'cuda'``.
        compile (dict, optional): ``model.compile``; defaults to
            :func:`compile_options`.
        sizes (tuple[int, int]): Generated training and test images; the
            validation time is scaled to CIFAR-100's 10,000. Defaults to
            CIFAR-100's.
        num_workers (int, optional): Data loader workers instead of the
            config's. Defaults to None.

    Returns:
        dict: ``sec_per_iter``, ``val_sec``, ``full_epochs``,
        ``full_iters_per_epoch``, ``predicted_sec`` and the measured lists.
    """
    from mmengine.runner import Runner
    if epochs < 2:
        raise ValueError(f'epochs must be at least 2 (the first is not '
                         f'timed), got {epochs}.')
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    full_epochs = cfg.train_cfg.max_epochs
    batch = cfg.train_dataloader.batch_size
    full_iters = -(-CIFAR100_SIZES[0] // batch)
    data_root = write_cifar100_like(osp.join(work_dir, 'data'), sizes)
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = cfg[loader].dataset
        while 'dataset' in dataset:
            dataset = dataset.dataset
        dataset.update(data_root=data_root, verify_md5=False)
        if num_workers is not None:
            cfg[loader].update(num_workers=num_workers,
                               persistent_workers=num_workers > 0)
    cfg.train_dataloader.dataset.indices = iters_per_epoch * batch
    cfg.train_cfg.max_epochs = epochs
    cfg.train_cfg.val_interval = 1
    cfg.model.teacher_ckpt = None
    options = compile_options(device) if compile is None else compile
    if options:
        cfg.model.compile = options
    cfg.work_dir = osp.join(work_dir, 'run')
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=-1)
    cfg.launcher = 'none'
    if device == 'cpu':
        cfg.env_cfg = dict(cfg.get('env_cfg', {}), dist_cfg=dict(
            backend='gloo'))
    runner = Runner.from_cfg(cfg)
    timer = EpochTimer()
    runner.register_hook(timer, priority='VERY_LOW')
    runner.train()
    out = predicted_seconds(timer.train, timer.iters, timer.val,
                            full_epochs, full_iters,
                            CIFAR100_SIZES[1] / sizes[1])
    out.update(train=timer.train, val=timer.val, iters=timer.iters,
               compile=options)
    return out


def predicted_seconds(train: List[float], iters: List[int],
                      val: List[float], full_epochs: int, full_iters: int,
                      val_scale: float = 1.0) -> Dict:
    """The full run's seconds from short epochs, the first left out.

    Args:
        train (list[float]): Training seconds of each short epoch.
        iters (list[int]): Its iterations.
        val (list[float]): Validation seconds after each.
        full_epochs (int): Epochs of the full run.
        full_iters (int): Iterations of a full epoch.
        val_scale (float): Full test split over the measured one.
            Defaults to 1.

    Returns:
        dict: ``sec_per_iter`` and ``val_sec`` (medians after the first
        epoch), ``full_epochs``, ``full_iters_per_epoch`` and
        ``predicted_sec``.
    """
    sec_per_iter = float(np.median(
        [t / n for t, n in zip(train[1:], iters[1:])]))
    val_sec = float(np.median(val[1:])) * val_scale
    return dict(
        sec_per_iter=sec_per_iter,
        val_sec=val_sec,
        full_epochs=full_epochs,
        full_iters_per_epoch=full_iters,
        predicted_sec=full_epochs * (full_iters * sec_per_iter + val_sec))
