#!/usr/bin/env python
"""Training cost of DCCD against the student alone, KD and CRD.

For each teacher -> student pair, times full training iterations (data
preprocessor, forward, backward and SGD step, model in train mode, via
``model.train_step``) on generated inputs:

- ``student``: the student alone (CE) on ``b`` images;
- ``kd``: Hinton KD (mmrazor ``SingleTeacherDistill`` + ``KLDivergence``) on
  ``2b`` single-view images: the same network forwards as DCCD;
- ``crd``: CRD (mmrazor ``CRDLoss`` + ``CRDConnector``, 16,384 negatives from
  a 50,000-entry memory) on ``2b`` single-view images;
- ``dccd``: :class:`~mmdccd.models.algorithms.DCCD` on ``b`` images x 2
  views (``2b`` rows).

and reports the median seconds an iteration, images (network rows) a
second, peak memory and the ratio to KD. Peak memory: on a GPU
``torch.cuda.max_memory_allocated`` during the timed iterations; on the CPU
the peak resident set size (RSS, sampled every 2 ms from ``/proc``) during
model building and the iterations, minus the RSS before building: an
approximation (freed memory of an earlier method may be reused).

Example::

    python tools/analysis_tools/benchmark_distill.py \
        --pairs resnet56-resnet20 resnet32x4-resnet8x4 --batch-size 64 \
        --iters 10 --warmup 3 --rounds 3 --device cpu --out bench_cpu.md
"""
import argparse
import gc
import os
import os.path as osp
import statistics
import sys
import threading
import time
from typing import Dict, List, Optional

_REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
if osp.isdir(osp.join(_REPO_ROOT, 'mmdccd')) and _REPO_ROOT not in sys.path:
    sys.path.insert(0, _REPO_ROOT)

import torch  # noqa: E402

import mmdccd  # noqa: E402,F401
from mmdccd.models.backbones import get_cifar_arch  # noqa: E402
from mmengine.optim import build_optim_wrapper  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmpretrain.structures import DataSample  # noqa: E402
from mmrazor.registry import MODELS  # noqa: E402

#: name -> (teacher, student, image size, classes); CIFAR names are the
#: CRD benchmark's (mmdccd CIFARResNet), 'r34-r18' is mmpretrain's ResNet.
PAIRS = {
    'resnet56-resnet20': ('resnet56', 'resnet20', 32, 100),
    'resnet32x4-resnet8x4': ('resnet32x4', 'resnet8x4', 32, 100),
    'resnet110-resnet32': ('resnet110', 'resnet32', 32, 100),
    'r34-r18': ('resnet34', 'resnet18', 224, 1000),
}
METHODS = ('student', 'kd', 'crd', 'dccd')
MEAN, STD = [125.3, 123.0, 113.9], [63.0, 62.1, 66.7]


def classifier(name: str, num_classes: int) -> Dict:
    """ImageClassifier config (backbone, GAP neck, linear head)."""
    if name in ('resnet18', 'resnet34'):
        backbone, feat_dim = dict(type='ResNet', depth=int(name[6:])), 512
    else:
        arch = get_cifar_arch(name)
        backbone, feat_dim = arch.backbone, arch.feat_dim
    return dict(
        _scope_='mmpretrain',
        type='ImageClassifier',
        backbone=backbone,
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=num_classes,
            in_channels=feat_dim,
            loss=dict(type='CrossEntropyLoss')),
        _feat_dim=feat_dim)


def model_cfg(method: str, pair: str) -> Dict:
    """The model config of one method on one pair."""
    t_name, s_name, _, classes = PAIRS[pair]
    student, teacher = classifier(s_name, classes), classifier(
        t_name, classes)
    s_dim, t_dim = student.pop('_feat_dim'), teacher.pop('_feat_dim')
    preprocessor = dict(
        type='mmpretrain.ClsDataPreprocessor',
        num_classes=classes,
        mean=MEAN,
        std=STD,
        to_rgb=True)
    if method == 'student':
        return dict(student, data_preprocessor=preprocessor)
    logits = dict(
        preds_S=dict(from_student=True, recorder='logits'),
        preds_T=dict(from_student=False, recorder='logits'))
    if method == 'kd':
        distiller = dict(
            type='ConfigurableDistiller',
            student_recorders=dict(
                logits=dict(type='ModuleOutputs', source='head.fc')),
            teacher_recorders=dict(
                logits=dict(type='ModuleOutputs', source='head.fc')),
            distill_losses=dict(
                loss_kd=dict(type='KLDivergence', tau=4, loss_weight=0.9,
                             reduction='batchmean')),
            loss_forward_mappings=dict(loss_kd=logits))
    elif method == 'crd':
        distiller = dict(
            type='ConfigurableDistiller',
            student_recorders=dict(
                feat=dict(type='ModuleOutputs', source='neck.gap'),
                data_samples=dict(type='ModuleInputs', source='')),
            teacher_recorders=dict(
                feat=dict(type='ModuleOutputs', source='neck.gap')),
            distill_losses=dict(loss_crd=dict(type='CRDLoss',
                                              loss_weight=0.8)),
            connectors=dict(
                crd_s=dict(type='CRDConnector', dim_in=s_dim, dim_out=128),
                crd_t=dict(type='CRDConnector', dim_in=t_dim, dim_out=128)),
            loss_forward_mappings=dict(
                loss_crd=dict(
                    s_feats=dict(from_student=True, recorder='feat',
                                 connector='crd_s'),
                    t_feats=dict(from_student=False, recorder='feat',
                                 connector='crd_t'),
                    data_samples=dict(from_student=True,
                                      recorder='data_samples',
                                      data_idx=1))))
    if method in ('kd', 'crd'):
        return dict(
            _scope_='mmrazor',
            type='SingleTeacherDistill',
            data_preprocessor=preprocessor,
            architecture=student,
            teacher=teacher,
            distiller=distiller)
    if method == 'dccd':
        return dict(
            _scope_='mmrazor',
            type='DCCD',
            data_preprocessor=dict(
                preprocessor,
                type='mmpretrain.MultiViewClsDataPreprocessor',
                num_views=2),
            architecture=student,
            teacher=teacher,
            student_feat_dim=s_dim,
            teacher_feat_dim=t_dim)
    raise ValueError(f'unknown method {method!r}; expected one of {METHODS}.')


def make_batch(method: str, b: int, size: int, classes: int) -> Dict:
    """Generated uint8 images and labels; ``2b`` rows for every method but
    the student alone (``b``)."""
    gen = torch.Generator().manual_seed(0)
    images = 1 if method == 'student' else 2

    def imgs(n):
        return torch.randint(0, 256, (n, 3, size, size), generator=gen,
                             dtype=torch.uint8)

    n = b if method == 'dccd' else b * images
    samples = []
    for i in range(n):
        s = DataSample().set_gt_label(int(i % classes))
        if method == 'crd':
            s.set_field(torch.tensor(i), 'sample_idx')
        samples.append(s)
    if method == 'dccd':
        return dict(inputs=[imgs(b), imgs(b)], data_samples=samples)
    return dict(inputs=imgs(n), data_samples=samples)


class RSSPeak:
    """Peak resident set size of this process, sampled in a thread."""

    def __init__(self, period: float = 0.002) -> None:
        self.period = period
        self.page = os.sysconf('SC_PAGE_SIZE')
        self.peak = self.current()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def current(self) -> int:
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * self.page

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.current())
            time.sleep(self.period)

    def __enter__(self) -> 'RSSPeak':
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.current())


def bench_one(method: str, pair: str, b: int, iters: int, warmup: int,
              device: str) -> Dict:
    """Time ``iters`` training iterations after ``warmup`` untimed ones."""
    _, _, size, classes = PAIRS[pair]
    gc.collect()
    cuda = device.startswith('cuda')
    rss_before = RSSPeak().current()
    with RSSPeak() as rss:
        model = MODELS.build(model_cfg(method, pair)).to(device)
        model.train()
        optim = build_optim_wrapper(
            model,
            dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9,
                                weight_decay=5e-4)))
        data = make_batch(method, b, size, classes)
        times = []
        for i in range(warmup + iters):
            if i == warmup and cuda:
                torch.cuda.synchronize()
                torch.cuda.reset_peak_memory_stats()
            if cuda:
                torch.cuda.synchronize()
            start = time.perf_counter()
            model.train_step(data, optim)
            if cuda:
                torch.cuda.synchronize()
            if i >= warmup:
                times.append(time.perf_counter() - start)
    rows = 2 * b if method != 'student' else b
    sec = statistics.median(times)
    mem = (torch.cuda.max_memory_allocated() if cuda else rss.peak -
           rss_before) / 2**20
    del model, optim, data
    return dict(
        method=method, pair=pair, rows=rows, images=b if method in (
            'student', 'dccd') else 2 * b, sec_per_iter=sec,
        rows_per_sec=rows / sec, peak_mem_mib=mem, times=times)


def merge_rounds(rounds: List[Dict]) -> Dict:
    """One result from the rounds of one method: the median over the
    iterations of all rounds, the largest peak memory."""
    if any('error' in r for r in rounds):
        return next(r for r in rounds if 'error' in r)
    times = [t for r in rounds for t in r['times']]
    sec = statistics.median(times)
    return dict(
        rounds[0],
        sec_per_iter=sec,
        rows_per_sec=rounds[0]['rows'] / sec,
        peak_mem_mib=max(r['peak_mem_mib'] for r in rounds),
        times=times)


def format_table(results: List[Dict], device: str) -> str:
    mem = ('peak GPU memory (MiB, max_memory_allocated)' if
           device.startswith('cuda') else 'peak RSS increase (MiB)')
    lines = [
        f'| pair | method | images x views (rows) | s / iter (median) | '
        f'rows / s | {mem} | time / KD |',
        '| --- | --- | --- | ---: | ---: | ---: | ---: |'
    ]
    kd = {r['pair']: r['sec_per_iter'] for r in results
          if r['method'] == 'kd' and 'sec_per_iter' in r}
    for r in results:
        if 'error' in r:
            lines.append(f'| {r["pair"]} | {r["method"]} | | n/a | n/a | n/a '
                         f'| n/a ({r["error"]}) |')
            continue
        views = 2 if r['method'] == 'dccd' else 1
        ratio = (f'{r["sec_per_iter"] / kd[r["pair"]]:.2f}'
                 if r['pair'] in kd else 'n/a')
        lines.append(
            f'| {r["pair"]} | {r["method"]} | {r["images"]} x {views} '
            f'({r["rows"]}) | {r["sec_per_iter"]:.3f} | '
            f'{r["rows_per_sec"]:.1f} | {r["peak_mem_mib"]:.0f} | {ratio} |')
    return '\n'.join(lines)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Time training iterations of student / KD / CRD / DCCD.')
    parser.add_argument(
        '--pairs', nargs='+', default=['resnet56-resnet20'],
        choices=sorted(PAIRS), help='teacher-student pairs')
    parser.add_argument(
        '--methods', nargs='+', default=list(METHODS), choices=METHODS)
    parser.add_argument(
        '--batch-size', type=int, default=64,
        help='b: images an iteration of the student alone and of DCCD '
        '(x 2 views); KD and CRD get 2b images')
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument(
        '--rounds', type=int, default=1,
        help='repeat the methods of a pair in turn this many times (each '
        'round: build, warm-up, --iters timed iterations) and take the '
        'median over all rounds: a slow drift of the machine\'s speed then '
        'reaches every method alike')
    parser.add_argument(
        '--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch CPU threads (default: torch\'s)')
    parser.add_argument('--out', default=None, help='markdown table file')
    return parser.parse_args(argv)


def main(argv=None) -> List[Dict]:
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    init_default_scope('mmrazor')
    results = []
    for pair in args.pairs:
        rounds: Dict[str, List[Dict]] = {m: [] for m in args.methods}
        for i in range(args.rounds):
            for method in args.methods:
                try:
                    r = bench_one(method, pair, args.batch_size, args.iters,
                                  args.warmup, args.device)
                except Exception as e:  # report, e.g. CRD, and go on
                    r = dict(method=method, pair=pair,
                             error=f'{type(e).__name__}: {str(e)[:120]}')
                    print(f'{pair} {method}: failed: {r["error"]}',
                          flush=True)
                else:
                    print(f'{pair} {method} (round {i + 1}/{args.rounds}): '
                          f'{r["sec_per_iter"]:.3f} s/iter, '
                          f'{r["rows_per_sec"]:.1f} rows/s, '
                          f'{r["peak_mem_mib"]:.0f} MiB', flush=True)
                rounds[method].append(r)
        results += [merge_rounds(rounds[m]) for m in args.methods]
    device = args.device
    if device == 'cpu':
        device_desc = f'CPU, {torch.get_num_threads()} threads'
    else:
        device_desc = torch.cuda.get_device_name(device)
    table = format_table(results, args.device)
    header = (f'{device_desc}; b = {args.batch_size}, median of '
              f'{args.rounds} x {args.iters} iterations (each round after '
              f'{args.warmup} warm-up); torch {torch.__version__}\n\n')
    print('\n' + header + table)
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        with open(args.out, 'w') as f:
            f.write(header + table + '\n')
        print(f'\nwrote {args.out}')
    return results


if __name__ == '__main__':
    main()
