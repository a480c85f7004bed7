"""Shared helpers for tests: generated data in real formats, config paths,
and running the command-line tools in a subprocess."""
import itertools
import os
import os.path as osp
import socket
import subprocess
import sys
from typing import Dict, List, Optional, Sequence

import numpy as np

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TOOLS_DIR = osp.join(REPO_ROOT, 'tools')
CONFIG_DIR = osp.join(REPO_ROOT, 'tests', 'data', 'configs')


def load_tool(path: str, name: Optional[str] = None):
    """Import the command-line tool ``tools/<path>`` as a module, to test it.

    Args:
        path (str): Path under ``tools/``, e.g. ``'demo.py'`` or
            ``'analysis_tools/demo_sweep.py'``.
        name (str, optional): The module's name. Defaults to ``_tool_``
            followed by the file's base name.
    """
    import importlib.util
    name = name or '_tool_' + osp.splitext(osp.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name,
                                                  osp.join(TOOLS_DIR, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def config_path(name: str) -> str:
    """Path of a config under ``tests/data/configs``."""
    return osp.join(CONFIG_DIR, name)


def make_image_folder(root: str,
                      classes: Sequence[str] = ('cat', 'dog'),
                      num_train: int = 8,
                      num_val: int = 4,
                      size: int = 8,
                      seed: int = 0) -> str:
    """Write PNG images in mmpretrain's ``CustomDataset`` folder layout.

    ``<root>/train/<class>/<k>.png`` and ``<root>/val/<class>/<k>.png``; the
    images of class ``c`` are noise around the grey level
    ``64 + 128 * c / (len(classes) - 1)``, so the classes are separable.

    Args:
        root (str): Folder to write into (created).
        classes (Sequence[str]): Class (sub-folder) names. Defaults to
            ``('cat', 'dog')``.
        num_train (int): Training images per class. Defaults to 8.
        num_val (int): Validation images per class. Defaults to 4.
        size (int): Image height and width. Defaults to 8.
        seed (int): Seed of the noise. Defaults to 0.

    Returns:
        str: ``root``.
    """
    import cv2
    rng = np.random.default_rng(seed)
    for split, count in (('train', num_train), ('val', num_val)):
        for c, name in enumerate(classes):
            folder = osp.join(root, split, name)
            os.makedirs(folder, exist_ok=True)
            level = 64 + 128 * c / max(len(classes) - 1, 1)
            for k in range(count):
                noise = rng.normal(0, 20, size=(size, size, 3))
                image = np.clip(level + noise, 0, 255).astype(np.uint8)
                cv2.imwrite(osp.join(folder, f'{k}.png'), image)
    return root


def data_root_options(data_root: str) -> List[str]:
    """``--cfg-options`` items pointing every loader at ``data_root``."""
    return [
        f'{loader}.dataset.data_root={data_root}'
        for loader in ('train_dataloader', 'val_dataloader',
                       'test_dataloader')
    ]


def forget_run_loggers() -> None:
    """Close and forget the loggers and visualizers of the Runners built so
    far in this process, as mmengine's own ``RunnerTestCase`` does after
    each test.

    A Runner names its logger after the config file and the second it
    started (``tiny_dccd_20261204_001515``), and mmengine hands back an
    existing logger of that name with the file it already writes to: a
    second in-process run of one config within the same second would log
    into the first run's work dir. Call this between such runs."""
    from mmengine.logging import MMLogger
    from mmengine.visualization import Visualizer
    for name in list(MMLogger._instance_dict):
        if name == 'mmengine':  # the process's root logger stays
            continue
        logger = MMLogger._instance_dict.pop(name)
        for handler in logger.handlers:
            handler.close()
    for name in list(Visualizer._instance_dict):
        Visualizer._instance_dict.pop(name)


def free_port() -> int:
    """A TCP port that is free now on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def tool_env(extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """Environment for a tool subprocess: the repository on PYTHONPATH, one
    thread per process (the test machine is small), this interpreter."""
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join(
        p for p in (REPO_ROOT, env.get('PYTHONPATH')) if p)
    env.setdefault('OMP_NUM_THREADS', '1')
    env['PYTHON'] = sys.executable
    env['PYTHONWARNINGS'] = 'ignore'
    env.update(extra or {})
    return env


def run_tool(args: Sequence[str],
             env: Optional[Dict[str, str]] = None,
             timeout: float = 300,
             check: bool = True) -> subprocess.CompletedProcess:
    """Run ``python <args>`` (or a shell script when args[0] ends in .sh)
    from the repository root; on failure the output is in the message."""
    args = [str(a) for a in args]
    cmd = ['bash', *args] if args[0].endswith('.sh') else [
        sys.executable, *args
    ]
    proc = subprocess.run(
        cmd,
        cwd=REPO_ROOT,
        env=env or tool_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f'{" ".join(cmd)} exited {proc.returncode}:\n'
                             f'{proc.stdout[-6000:]}')
    return proc


def run_python(code: str,
               env: Optional[Dict[str, str]] = None,
               timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -c code`` in a fresh interpreter (stdout + stderr)."""
    return subprocess.run([sys.executable, '-c', code],
                          cwd=REPO_ROOT,
                          env=env or tool_env(),
                          stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT,
                          text=True,
                          timeout=timeout)


def tiny_classifier(width: int,
                    num_classes: int = 5,
                    dropout: bool = False) -> dict:
    """An mmpretrain CIFAR ResNet-18 classifier ``width`` channels wide
    (pooled feature ``8 * width``); with ``dropout`` a stacked head with a
    dropout layer."""
    head = dict(
        type='LinearClsHead', num_classes=num_classes, in_channels=width * 8)
    if dropout:
        head = dict(
            type='StackedLinearClsHead',
            num_classes=num_classes,
            in_channels=width * 8,
            mid_channels=[16],
            dropout_rate=0.5)
    return dict(
        _scope_='mmpretrain',
        type='ImageClassifier',
        backbone=dict(
            type='ResNet_CIFAR',
            depth=18,
            base_channels=width,
            stem_channels=width),
        neck=dict(type='GlobalAveragePooling'),
        head=head)


class RunsCode:
    """Unpickling this calls ``os.mkdir(marker)``: a stand-in for a
    checkpoint that executes code on load."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker, ))


def write_malicious(path: str, marker: str, state_dict=None) -> str:
    """Save a checkpoint whose ``meta`` runs ``os.mkdir(marker)`` when
    unpickled; returns ``path``."""
    import torch
    torch.save(dict(state_dict=state_dict or {}, meta=RunsCode(marker)), path)
    return path


_TOY_RUN_IDS = itertools.count()


def toy_model():
    """An mmengine model ``Linear(2, 1)`` with the loss ``mean(out^2)``."""
    import torch
    from mmengine.model import BaseModel

    class ToyModel(BaseModel):

        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(2, 1)

        def forward(self, inputs, data_samples=None, mode='tensor'):
            out = self.linear(torch.stack(inputs))
            if mode == 'loss':
                return dict(loss=out.pow(2).mean())
            return out

    return ToyModel()


def toy_runner(work_dir: str,
               max_iters: int,
               model=None,
               inputs=None,
               num_samples: int = 2,
               batch_size: int = 2,
               lr: float = 0.1,
               max_keep_ckpts: int = -1,
               checkpoint_kwargs: Optional[dict] = None,
               val_interval: int = 1000,
               **kwargs):
    """An mmengine Runner of ``max_iters`` SGD iterations on copies of
    ``inputs`` (default ``ones(2)``) that saves a checkpoint every
    iteration; ``model`` defaults to :func:`toy_model`;
    ``checkpoint_kwargs`` go to its ``CheckpointHook`` (``save_best``...),
    ``val_interval`` to its ``train_cfg`` (mmengine's default 1000),
    ``kwargs`` to the Runner (``resume``, ``custom_hooks``,
    ``param_scheduler``...)."""
    import torch
    from mmengine.runner import Runner
    return Runner(
        model=model or toy_model(),
        work_dir=work_dir,
        train_dataloader=dict(
            dataset=[dict(inputs=torch.ones(2) if inputs is None else inputs)
                     ] * num_samples,
            sampler=dict(type='DefaultSampler', shuffle=False),
            batch_size=batch_size,
            collate_fn=dict(type='pseudo_collate')),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=lr)),
        train_cfg=dict(
            by_epoch=False, max_iters=max_iters, val_interval=val_interval),
        default_hooks=dict(
            checkpoint=dict(
                type='CheckpointHook',
                interval=1,
                by_epoch=False,
                max_keep_ckpts=max_keep_ckpts,
                **(checkpoint_kwargs or {}))),
        default_scope='mmengine',
        experiment_name=f'toy_{os.getpid()}_{next(_TOY_RUN_IDS)}',
        **kwargs)
