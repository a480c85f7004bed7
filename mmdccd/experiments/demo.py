"""The main job: DCCD on real data (Fashion-MNIST), against CE and KD.

``tools/demo.py`` is its command line (``make demo``)::

    python tools/demo.py [--data-root DIR] [--work-dir work_dirs/demo]

budgeted for about 10 minutes on an idle 2-core CPU, teacher included:

1. :func:`find_data_root` finds Fashion-MNIST: ``--data-root`` (a folder with
   the four IDX files, gzipped or not), else Debian's
   ``dataset-fashion-mnist`` in ``/usr/share/datasets/fashion-mnist``
   (installed with ``apt-get`` when absent and running as root).
2. :func:`get_teacher` trains the teacher (``configs/demo/teacher_r20_fmnist.py``,
   CIFAR resnet20, 1000 iterations) once; it is cached by a hash of its
   config and data (:func:`teacher_key`) in ``~/.cache/mmdccd/demo``
   (``--cache-dir``), so later runs skip it.
3. Under one fixed budget (the same 800 iterations, seed, student resnet8
   and 128 images an iteration) :func:`run` trains the student alone (CE),
   with Hinton KD (mmrazor ``SingleTeacherDistill`` + ``HintonKDLoss``) and
   with DCCD (the 128 images x 2 views, drawn in the data preprocessor).
4. Validates every ``val_interval`` iterations on 5,000 training images held
   out from training (the ``'val'`` subset), evaluates the 10k test set ONCE
   at the end of each run, prints a table and writes ``results.json``,
   ``results.md`` and ``val_curves.png`` to the work dir.

The loss weights of KD and DCCD in ``configs/demo/`` were chosen on the
``'val'`` subset by :mod:`mmdccd.experiments.sweep` (four settings each, the
test set never used; ``docs/demo.md``); everything else is the papers'
defaults. On a CPU with native bfloat16 (AVX512-BF16 / AMX) training runs
under bfloat16 autocast (``--precision``, :class:`CPUAmpOptimWrapper`), with
channels-last weights. ``--quick`` runs a tiny subset for a few iterations (a
smoke test, numbers meaningless).
"""
import argparse
import hashlib
import json
import os
import os.path as osp
import shutil
import subprocess
import time
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

import mmdccd  # noqa: F401  (applies mmdccd.compat, registers parts)
from mmdccd.engine.hooks import ProgressHook
from mmdccd.evaluation import (channel_redundancy, extract_pooled_features,
                               plot_channel_correlation)
from mmdccd.engine.optimizers import cpu_supports_bf16
from mmdccd.utils import retain_freed_memory

DEBIAN_ROOT = '/usr/share/datasets/fashion-mnist'
IDX_FILES = ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte',
             't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte')
#: The demo configs, in the repository (the package is installed editable).
CONFIG_DIR = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs',
    'demo')
TEACHER = 'teacher_r20_fmnist'
#: (method label, config name) of the three student runs.
METHODS = (('student alone (CE)', 'student_r8_fmnist'),
           ('KD', 'kd_r20_r8_fmnist'),
           ('DCCD', 'dccd_r20_r8_fmnist'))
#: --quick: iterations of every run, val interval, and images kept of the
#: train / val / test sets.
QUICK = dict(iters=4, val_interval=2, train=256, val=64, test=128)


def find_data_root(data_root: Optional[str]) -> str:
    """The folder holding the Fashion-MNIST IDX files; installs Debian's
    package when none is given, the package is absent and we are root.

    Raises:
        FileNotFoundError: If the files are neither in ``data_root`` (or,
            without it, in Debian's folder) nor installable.
    """

    def complete(root: str) -> bool:
        return all(
            osp.exists(osp.join(root, f)) or osp.exists(
                osp.join(root, f + '.gz')) for f in IDX_FILES)

    if data_root is not None:
        if not complete(data_root):
            raise FileNotFoundError(f'--data-root {data_root}: expected the four '
                     f'Fashion-MNIST IDX files {", ".join(IDX_FILES)} (or '
                     'their .gz), but some are missing.')
        return data_root
    if complete(DEBIAN_ROOT):
        return DEBIAN_ROOT
    hint = ('pass --data-root DIR with the four IDX files '
            f'({", ".join(IDX_FILES)}, .gz or not)')
    if hasattr(os, 'geteuid') and os.geteuid() == 0 and shutil.which(
            'apt-get'):
        print('Fashion-MNIST not found; installing it: apt-get install -y '
              'dataset-fashion-mnist', flush=True)
        rc = subprocess.call(
            ['apt-get', 'install', '-y', 'dataset-fashion-mnist'])
        if rc == 0 and complete(DEBIAN_ROOT):
            return DEBIAN_ROOT
        raise FileNotFoundError(
            f'apt-get install dataset-fashion-mnist failed (exit {rc}); '
                 f'{hint}.')
    raise FileNotFoundError(
        f'Fashion-MNIST not found in {DEBIAN_ROOT}. Install it with '
             f'`sudo apt-get install dataset-fashion-mnist`, or {hint}.')


def resolve_precision(precision: str) -> str:
    """``'bf16'`` or ``'fp32'``; ``'auto'`` is bf16 on a CPU-only host whose
    CPU computes bfloat16 natively (AVX512-BF16 / AMX), else fp32."""
    if precision != 'auto':
        return precision
    return 'bf16' if not torch.cuda.is_available() and cpu_supports_bf16() \
        else 'fp32'


def build_cfg(name: str,
              data_root: str,
              work_dir: str,
              quick: bool,
              teacher_ckpt: Optional[str] = None,
              precision: str = 'fp32') -> Config:
    """Load ``configs/demo/<name>.py`` and set the data, work dir, the
    training precision (``'bf16'``: :class:`CPUAmpOptimWrapper`) and (in
    quick mode) the tiny budget."""
    cfg = Config.fromfile(osp.join(CONFIG_DIR, name + '.py'))
    if precision == 'bf16':
        cfg.optim_wrapper.type = 'CPUAmpOptimWrapper'
    elif precision != 'fp32':
        raise ValueError(f"precision must be 'bf16' or 'fp32', got "
                         f'{precision!r}.')
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = data_root
    if quick:
        cfg.train_dataloader.dataset.indices = QUICK['train']
        cfg.val_dataloader.dataset.indices = QUICK['val']
        cfg.test_dataloader.dataset.indices = QUICK['test']
        cfg.train_cfg.max_iters = QUICK['iters']
        cfg.train_cfg.val_interval = QUICK['val_interval']
    if teacher_ckpt is not None:
        cfg.model.teacher_ckpt = teacher_ckpt
    cfg.work_dir = work_dir
    cfg.experiment_name = name
    cfg.log_level = 'WARNING'  # ProgressHook prints the progress
    return cfg


def run(cfg: Config,
        stage: str,
        test: bool = True,
        hooks: Sequence[Hook] = (),
        keep_features: bool = False) -> Dict:
    """Train, then evaluate the test set once.

    Args:
        cfg (Config): The run's config (from :func:`build_cfg`).
        stage (str): Name printed in front of the progress lines.
        test (bool): Evaluate the test set after training. The
            hyper-parameter sweep (``tools/analysis_tools/demo_sweep.py``)
            passes False: it chooses on the validation split alone.
            Defaults to True.
        hooks (Sequence[Hook]): More hooks to register on the runner (the
            study's measurements, :mod:`mmdccd.experiments.study`).
            Defaults to ().
        keep_features (bool): Also return the pooled test features and
            labels (``test_features``, ``test_labels``). Defaults to False.

    Returns:
        dict: ``test_top1`` (None without ``test``), ``val_top1`` (last
        validation), ``curve`` (``[(iteration, val top-1)]``),
        ``train_time_s``, ``checkpoint`` and, with ``test``,
        ``test_redundancy`` (:func:`~mmdccd.evaluation.channel_redundancy`
        of the classifier's pooled test features: ``mean_abs_channel_corr``
        is our channel-redundancy measure).
    """
    print(f'[{stage}] config configs/demo/{cfg.experiment_name}.py, '
          f'{cfg.train_cfg.max_iters} iterations, work dir {cfg.work_dir}',
          flush=True)
    if not torch.cuda.is_available():
        retain_freed_memory()  # no page faults an iteration on the CPU
    runner = Runner.from_cfg(cfg)
    # channels-last weights: oneDNN's faster convolution layout on the CPU
    # (about 1.1x for the teacher, 1.4x for DCCD's 256-row batches here)
    runner.model.to(memory_format=torch.channels_last)
    progress = ProgressHook(stage, max(cfg.train_cfg.max_iters // 8, 1))
    runner.register_hook(progress)
    for hook in hooks:
        runner.register_hook(hook)
    start = time.time()
    runner.train()
    train_time = time.time() - start
    result = dict(
        test_top1=None,
        val_top1=progress.curve[-1][1] if progress.curve else float('nan'),
        curve=progress.curve,
        train_time_s=train_time,
        checkpoint=osp.join(cfg.work_dir,
                            f'iter_{cfg.train_cfg.max_iters}.pth'))
    if not test:
        print(f'[{stage}] done in {train_time:.0f} s (test set not used)',
              flush=True)
        return result
    result['test_top1'] = float(runner.test()['accuracy/top1'])
    # the (student) classifier's pooled test features: its redundancy
    features = extract_pooled_features(runner.model, runner.test_dataloader)
    result['test_redundancy'] = channel_redundancy(features)
    if keep_features:
        result['test_features'] = features
        result['test_labels'] = torch.as_tensor(
            runner.test_dataloader.dataset.get_gt_labels())
    print(f'[{stage}] done in {train_time:.0f} s; test top-1 '
          f'{result["test_top1"]:.2f} %, mean |rho| of its channels '
          f'{result["test_redundancy"]["mean_abs_channel_corr"]:.3f}',
          flush=True)
    return result


def teacher_key(cfg: Config, data_root: str) -> str:
    """Hash of the teacher config (its data root and work dir left out) and
    of the sizes of the training data files."""
    settings = {k: v for k, v in cfg.to_dict().items() if k != 'work_dir'}
    text = json.dumps(settings, sort_keys=True, default=str).replace(
        data_root, '<data_root>')
    digest = hashlib.sha256(text.encode())
    for name in IDX_FILES[:2]:
        path = osp.join(data_root, name)
        path = path if osp.exists(path) else path + '.gz'
        digest.update(f'{name}:{osp.getsize(path)}'.encode())
    return digest.hexdigest()[:16]


def get_teacher(data_root: str,
                work_dir: str,
                cache_dir: str,
                quick: bool,
                precision: str = 'fp32',
                name: str = TEACHER) -> Tuple[str, Dict]:
    """Train the teacher (``configs/demo/<name>.py``, the demo's by
    default), or reuse the cached one with the same key."""
    cfg = build_cfg(name, data_root, osp.join(work_dir, name), quick,
                    precision=precision)
    key = teacher_key(cfg, data_root)
    ckpt = osp.join(cache_dir, f'{name}-{key}.pth')
    info_path = ckpt[:-4] + '.json'
    if osp.exists(ckpt) and osp.exists(info_path):
        print(f'[teacher] reusing the cached teacher {ckpt}', flush=True)
        with open(info_path) as f:
            return ckpt, json.load(f)
    result = run(cfg, 'teacher')
    os.makedirs(cache_dir, exist_ok=True)
    shutil.copyfile(result['checkpoint'], ckpt)
    with open(info_path, 'w') as f:
        json.dump(result, f)
    print(f'[teacher] cached as {ckpt}', flush=True)
    return ckpt, result


def write_outputs(work_dir: str, rows: List[Tuple[str, Dict]],
                  teacher: Dict, meta: Dict) -> Dict[str, str]:
    """Write results.json, results.md and val_curves.png."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    paths = {
        k: osp.join(work_dir, v)
        for k, v in (('json', 'results.json'), ('md', 'results.md'),
                     ('png', 'val_curves.png'))
    }
    with open(paths['json'], 'w') as f:
        json.dump(
            dict(meta, teacher=teacher, methods=dict(rows)), f, indent=2)
    with open(paths['md'], 'w') as f:
        f.write(format_table(rows, teacher) + '\n')
    fig, ax = plt.subplots(figsize=(6, 4))
    for method, result in rows:
        its, accs = zip(*result['curve']) if result['curve'] else ((), ())
        ax.plot(its, accs, marker='o', label=method)
    ax.set_xlabel(f'iteration ({meta["images_per_iter"]} images each)')
    ax.set_ylabel('val top-1 (%)')
    ax.set_title('Fashion-MNIST, student resnet8 (teacher resnet20)')
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(paths['png'], dpi=100)
    plt.close(fig)
    return paths


def format_table(rows: List[Tuple[str, Dict]], teacher: Dict) -> str:
    """The markdown results table; ``mean |rho|`` is the mean off-diagonal
    ``|correlation|`` of the network's pooled channels on the test set
    (our redundancy measure: lower is less redundant)."""
    lines = [
        '| method | test top-1 (%) | val top-1 (%) | mean abs channel '
        'correlation (test) | train time (s) |',
        '| --- | ---: | ---: | ---: | ---: |'
    ]
    for method, r in rows + [('(teacher resnet20)', teacher)]:
        rho = r.get('test_redundancy', {}).get('mean_abs_channel_corr')
        rho = '—' if rho is None else f'{rho:.3f}'
        lines.append(f'| {method} | {r["test_top1"]:.2f} | '
                     f'{r["val_top1"]:.2f} | {rho} | '
                     f'{r["train_time_s"]:.0f} |')
    return '\n'.join(lines)


def default_cache_dir(name: str) -> str:
    """``$XDG_CACHE_HOME/mmdccd/<name>`` (``~/.cache`` without it): where
    the demo's teacher and the study's runs are kept between sessions."""
    return osp.join(
        os.environ.get('XDG_CACHE_HOME', osp.expanduser('~/.cache')),
        'mmdccd', name)


def add_common_args(parser: argparse.ArgumentParser,
                    work_dir: str) -> None:
    """Add the options of the demo and of its sweep (``tools/demo.py``,
    ``tools/analysis_tools/demo_sweep.py``): data, work and cache dirs,
    ``--quick``, threads and precision; the defaults of :func:`run_demo`."""
    parser.add_argument(
        '--data-root',
        help='folder with the Fashion-MNIST IDX files (.gz or not); default: '
        f'{DEBIAN_ROOT} (Debian dataset-fashion-mnist)')
    parser.add_argument(
        '--work-dir',
        default=osp.join('work_dirs', work_dir),
        help='logs, checkpoints, results and plots')
    parser.add_argument(
        '--cache-dir',
        default=default_cache_dir('demo'),
        help='where the trained teacher is cached')
    parser.add_argument(
        '--quick',
        action='store_true',
        help=f'smoke test: {QUICK["iters"]} iterations a run on '
        f'{QUICK["train"]} training images (numbers meaningless)')
    parser.add_argument(
        '--threads', type=int, default=2, help='torch CPU threads')
    parser.add_argument(
        '--precision',
        choices=('auto', 'bf16', 'fp32'),
        default='auto',
        help='training precision; auto: bfloat16 autocast '
        '(CPUAmpOptimWrapper) on a CPU with native bfloat16 (AVX512-BF16 / '
        'AMX), about twice as fast there, else float32')


class Prepared(NamedTuple):
    """What a run of the demo or of its sweep starts from."""
    data_root: str
    work_dir: str
    precision: str
    teacher_ckpt: str
    teacher: Dict


def prepare(args: argparse.Namespace,
            title: str,
            teacher: Optional[Tuple[str, Dict]] = None) -> Prepared:
    """Set the threads, find the data, make the work dir, resolve the
    precision and train (or reuse) the teacher.

    Args:
        args (argparse.Namespace): The options of :func:`add_common_args`.
        title (str): Printed first on the line that names the settings.
        teacher (tuple[str, dict], optional): A teacher checkpoint and its
            result to use instead of the demo's cached one (the study pins
            its teacher). Defaults to None.

    Returns:
        Prepared: The data root, the absolute work dir, ``'bf16'`` or
        ``'fp32'``, the teacher checkpoint and its result (:func:`run`).
    """
    torch.set_num_threads(args.threads)
    data_root = find_data_root(args.data_root)
    work_dir = osp.abspath(args.work_dir)
    os.makedirs(work_dir, exist_ok=True)
    precision = resolve_precision(args.precision)
    print(f'{title}: Fashion-MNIST from {data_root}, work dir {work_dir}, '
          f'{precision} training'
          + (' (--quick: tiny smoke run)' if args.quick else ''),
          flush=True)
    teacher_ckpt, teacher = teacher or get_teacher(
        data_root, work_dir, args.cache_dir, args.quick, precision)
    return Prepared(data_root, work_dir, precision, teacher_ckpt, teacher)


def run_demo(args: argparse.Namespace) -> Dict:
    """The demo: the teacher (cached), then the student alone, KD and DCCD
    under one budget; prints the table and writes the outputs.

    Args:
        args (argparse.Namespace): The options of :func:`add_common_args`.

    Returns:
        dict: The run's settings, ``methods`` (label -> the result of
        :func:`run`) and ``paths`` of the written files.
    """
    start = time.time()
    data_root, work_dir, precision, teacher_ckpt, teacher = prepare(
        args, 'mmdccd demo')
    rows, features = [], []
    for method, name in METHODS:
        cfg = build_cfg(name, data_root, osp.join(work_dir, name), args.quick,
                        None if name.startswith('student') else teacher_ckpt,
                        precision)
        result = run(cfg, method, keep_features=True)
        features.append((method, result.pop('test_features')))
        result.pop('test_labels')
        rows.append((method, result))

    meta = dict(
        data_root=data_root,
        quick=args.quick,
        precision=precision,
        teacher_checkpoint=teacher_ckpt,
        images_per_iter=128,
        wall_time_s=time.time() - start)
    paths = write_outputs(work_dir, rows, teacher, meta)
    paths['correlation'] = plot_channel_correlation(
        features, osp.join(work_dir, 'channel_correlation.png'))
    print('\nFashion-MNIST, student resnet8, same iterations and seed; test '
          'set evaluated once, at the end:')
    print(format_table(rows, teacher))
    print(f'\ntable: {paths["md"]}\njson: {paths["json"]}\n'
          f'curves: {paths["png"]}\nchannel correlation: '
          f'{paths["correlation"]}\nteacher: {teacher_ckpt}\n'
          'the paper\'s claims, multi-seed: docs/study.md\n'
          f'wall time: {time.time() - start:.0f} s')
    return dict(meta, methods=dict(rows), paths=paths)
