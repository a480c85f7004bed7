"""Training cost of DCCD against its compute floor, the student alone, KD
and CRD, with the shipped configs.

Every method but the floor is a config under ``configs/`` built as
``tools/train.py`` builds it (the model with the top-level data
preprocessor, the config's optimizer wrapper; no teacher checkpoint is
loaded, the weights do not change the cost) and timed through
``model.train_step`` (data preprocessor, forwards, losses, backward, SGD
step) on one batch in the format the config's training pipeline and collate
function produce (the pipeline is run on generated arrays, without the
loading transforms):

- ``student``: the student alone (``configs/vanilla``) on ``b`` images;
- ``kd`` and ``crd`` (``configs/kd``, ``configs/crd``) on ``2b`` single-view
  images: as many network rows as DCCD;
- ``dccd`` (``configs/dccd``) on ``b`` images x 2 views, both drawn in the
  data preprocessor (:class:`BatchRandomCropFlip`);
- ``dccd-dualview``: the same with both views made per sample in the
  pipeline (``*_dualview.py``, ``DualView``);
- ``floor``: the network work DCCD cannot avoid, in plain PyTorch: the
  same student and teacher modules (copies of those of the DCCD model), the
  teacher's forward on the ``2b`` rows under ``torch.no_grad()``, the
  student's forward, cross-entropy, backward and a ``torch.optim.SGD`` step
  with the config's hyper-parameters; no distiller, no data preprocessor
  (its input is DCCD's preprocessed batch, made once).

Each round is ``iters`` passes; a pass runs every method back to back in a
new random order, each ``warmup`` untimed iterations (the switch from
another method's memory and caches, which a training run never pays) and
one timed, so the methods of a round share the machine's speed at the scale
of a few iterations. A method's round is the median of its ``iters`` timed
iterations, and its figure is the median over the rounds of its per-round
ratio to the floor, with the interquartile range of those ratios, so a drift
of the machine's speed divides out within a round.

:func:`profile_breakdown` splits a DCCD ``train_step`` into its parts with
``torch.profiler`` (exclusive times of labelled ranges) and
:func:`extra_operators` lists the operators DCCD calls more often than the
floor: the counts, unlike times, do not depend on the machine's load.
"""
import copy
import os
import os.path as osp
import random
import statistics
import time
from contextlib import ExitStack, contextmanager
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import FUNCTIONS, MODELS, DefaultScope

#: The repository whose ``configs/`` are timed.
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

#: pair -> side length of the generated arrays (the pipeline crops them)
#: and the config of each method.
PAIRS: Dict[str, Dict] = {
    'resnet56-resnet20': dict(
        image_size=32,
        student='configs/vanilla/r20_c100.py',
        kd='configs/kd/r56_r20_c100.py',
        crd='configs/crd/r56_r20_c100.py',
        dccd='configs/dccd/r56_r20_c100.py',
        dccd_dualview='configs/dccd/r56_r20_c100_dualview.py'),
    'resnet32x4-resnet8x4': dict(
        image_size=32,
        student='configs/vanilla/r8x4_c100.py',
        kd='configs/kd/r32x4_r8x4_c100.py',
        crd='configs/crd/r32x4_r8x4_c100.py',
        dccd='configs/dccd/r32x4_r8x4_c100.py',
        dccd_dualview='configs/dccd/r32x4_r8x4_c100_dualview.py'),
    'resnet110-resnet32': dict(
        image_size=32,
        student='configs/vanilla/r32_c100.py',
        kd='configs/kd/r110_r32_c100.py',
        crd='configs/crd/r110_r32_c100.py',
        dccd='configs/dccd/r110_r32_c100.py'),
    'r34-r18': dict(
        image_size=256,
        kd='configs/kd/r34_r18_in1k.py',
        dccd='configs/dccd/r34_r18_in1k.py'),
}
METHODS = ('floor', 'floor-bf16', 'student', 'kd', 'crd', 'dccd',
           'dccd-eager', 'dccd-bf16', 'dccd-compiled', 'dccd-dualview',
           'dccd-cl', 'teacher-eager', 'teacher-fast', 'teacher-fast-cl')
#: Methods that see ``2b`` images (one view each); the others ``b`` images.
DOUBLE_IMAGES = ('kd', 'crd')
#: Methods built from DCCD's config with one lever changed: the model's
#: arguments overridden, or the step under bfloat16 autocast.
VARIANTS: Dict[str, Dict] = {
    'floor-bf16': dict(autocast=True),
    'dccd-eager': dict(model=dict(fast_teacher=False)),
    'dccd-bf16': dict(autocast=True),
    'dccd-compiled': dict(model=dict(compile=True)),
    'teacher-eager': dict(model=dict(fast_teacher=False)),
    'teacher-fast': dict(),
    'dccd-cl': dict(model=dict(fast_teacher=dict(channels_last=True))),
    'teacher-fast-cl': dict(model=dict(fast_teacher=dict(
        channels_last=True))),
}
#: Pipeline steps that read files; the benchmark feeds arrays instead.
LOADING = ('LoadImageFromFile', )


def config_of(pair: str, method: str) -> Optional[str]:
    """The config path of ``method`` on ``pair`` (None where none is
    shipped); the floor uses DCCD's networks."""
    if pair not in PAIRS:
        raise ValueError(f'unknown pair {pair!r}; expected one of '
                         f'{sorted(PAIRS)}.')
    if method not in METHODS:
        raise ValueError(f'unknown method {method!r}; expected one of '
                         f'{METHODS}.')
    key = 'dccd' if method == 'floor' or method in VARIANTS else \
        method.replace('-', '_')
    path = PAIRS[pair].get(key)
    return None if path is None else osp.join(REPO_ROOT, path)


def load_config(path: str) -> Config:
    """``Config.fromfile`` with a clear error where the repository's
    ``configs/`` is missing (an installed package without its configs)."""
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{path} does not exist: the benchmark times the configs of the '
            'repository; run it from a clone of mmdccd.')
    return Config.fromfile(path)


def model_cfg_for_build(cfg: Config) -> dict:
    """The model dict the Runner builds (the top-level data preprocessor
    merged in), without a teacher checkpoint."""
    model_cfg = copy.deepcopy(cfg.model)
    if 'teacher_ckpt' in model_cfg:
        model_cfg['teacher_ckpt'] = None
    if cfg.get('data_preprocessor') is not None:
        model_cfg.setdefault('data_preprocessor',
                             copy.deepcopy(cfg.data_preprocessor))
    return model_cfg


def build_model(cfg: Config,
                device: str = 'cpu',
                **overrides) -> torch.nn.Module:
    """The model as ``tools/train.py`` builds it, without a teacher
    checkpoint, on ``device``, in train mode; ``overrides`` replace
    arguments of the model."""
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        model = MODELS.build(dict(model_cfg_for_build(cfg), **overrides))
    model.to(device)
    model.train()
    return model


def _train_dataset(cfg: Config) -> dict:
    """The innermost training dataset dict (the one with the pipeline) and
    whether a ``CRDSampleDataset`` wraps it."""
    dataset, crd = cfg.train_dataloader.dataset, False
    while 'pipeline' not in dataset:
        crd = crd or dataset.get('type') == 'CRDSampleDataset'
        dataset = dataset.dataset
    return dict(pipeline=dataset.pipeline, crd=crd)


def packed_batch(cfg: Config,
                 num_images: int,
                 image_size: int,
                 seed: int = 0) -> dict:
    """A training batch as the config's pipeline and collate function give
    it, from ``num_images`` random ``(image_size, image_size, 3)`` uint8
    arrays (labels ``i mod classes``; CRD's indices for a
    ``CRDSampleDataset``).

    Args:
        cfg (Config): A training config.
        num_images (int): Images in the batch.
        image_size (int): Side of the generated arrays.
        seed (int): Seed of the arrays and of the pipeline's draws (numpy's
            and Python's global generators are seeded with it).
            Defaults to 0.

    Returns:
        dict: ``inputs`` and ``data_samples``, collated.
    """
    from mmcv.transforms import Compose
    from mmpretrain.registry import TRANSFORMS
    dataset = _train_dataset(cfg)
    steps = [s for s in dataset['pipeline'] if s['type'] not in LOADING]
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        pipeline = Compose([TRANSFORMS.build(copy.deepcopy(s))
                            for s in steps])
    rng = np.random.default_rng(seed)
    np.random.seed(seed)
    random.seed(seed)
    classes = model_cfg_for_build(cfg).get('data_preprocessor',
                                           {}).get('num_classes') or 100
    samples = []
    for i in range(num_images):
        img = rng.integers(0, 256, (image_size, image_size, 3), np.uint8)
        packed = pipeline(dict(img=img, gt_label=i % classes))
        if dataset['crd']:
            neg_num = cfg.train_dataloader.dataset.neg_num
            packed['data_samples'].set_field(torch.tensor(i), 'sample_idx')
            packed['data_samples'].set_field(
                torch.from_numpy(
                    np.concatenate(([i], rng.integers(0, 50000, neg_num)))),
                'contrast_sample_idxs')
        samples.append(packed)
    collate_cfg = copy.deepcopy(
        cfg.train_dataloader.get('collate_fn', dict(type='pseudo_collate')))
    collate = FUNCTIONS.get(collate_cfg.pop('type'))  # as mmengine's Runner
    return collate(samples, **collate_cfg)


class FloorStep:
    """One training iteration of the bare network work of DCCD.

    The teacher's forward under ``torch.no_grad()`` (eval mode), the
    student's forward (train mode), cross-entropy on all rows, backward and
    a ``torch.optim.SGD`` step. No distiller, no data preprocessor.

    Args:
        student (torch.nn.Module): An mmpretrain classifier (copied).
        teacher (torch.nn.Module): An mmpretrain classifier (copied).
        inputs (torch.Tensor): Preprocessed rows ``(N, C, H, W)``.
        labels (torch.Tensor): ``(N, )`` class indices.
        optimizer (dict): ``lr``, ``momentum``, ``weight_decay`` of SGD.
        autocast (bool): Both forwards and the loss under bfloat16
            autocast. Defaults to False.
    """

    def __init__(self,
                 student: torch.nn.Module,
                 teacher: torch.nn.Module,
                 inputs: torch.Tensor,
                 labels: torch.Tensor,
                 optimizer: dict,
                 autocast: bool = False) -> None:
        self.autocast = autocast
        self.student = copy.deepcopy(student).train()
        self.teacher = copy.deepcopy(teacher)
        self.teacher.eval()  # mmpretrain 1.2.0's .eval() returns None
        self.inputs, self.labels = inputs, labels
        kwargs = {
            k: optimizer[k]
            for k in ('lr', 'momentum', 'weight_decay') if k in optimizer
        }
        self.optimizer = torch.optim.SGD(self.student.parameters(), **kwargs)

    def __call__(self) -> None:
        with torch.autocast(self.inputs.device.type, torch.bfloat16,
                            enabled=self.autocast):
            with torch.no_grad():
                self.teacher(self.inputs, mode='tensor')
            logits = self.student(self.inputs, mode='tensor')
            loss = F.cross_entropy(logits, self.labels)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()


class TeacherStep:
    """The frozen teacher's forward alone on the ``2b`` rows under
    ``torch.no_grad()``: the registered teacher (eager) or the model's fast
    copy (:class:`~mmdccd.models.utils.FastTeacher`).

    Args:
        model (torch.nn.Module): A built distillation model.
        inputs (torch.Tensor): Preprocessed rows ``(N, C, H, W)``.
    """

    def __init__(self, model: torch.nn.Module, inputs: torch.Tensor) -> None:
        self.fast, self.inputs = model._fast, inputs
        self.teacher = model.teacher if self.fast is None else \
            self.fast.module(inputs)
        if self.fast is not None:
            self.inputs = self.fast.prepare(inputs)

    def __call__(self) -> None:
        with torch.no_grad():
            self.teacher(self.inputs, mode='tensor')


class TrainStep:
    """One ``model.train_step`` on a fixed batch, as the runner calls it.

    Args:
        model (torch.nn.Module): A built config's model.
        optim_wrapper: Its optimizer wrapper.
        data (dict): A collated batch (:func:`packed_batch`).
    """

    def __init__(self, model: torch.nn.Module, optim_wrapper,
                 data: dict) -> None:
        self.model, self.optim_wrapper, self.data = model, optim_wrapper, data

    def __call__(self) -> None:
        self.model.train_step(self.data, self.optim_wrapper)


def method_step(pair: str, method: str, batch_size: int,
                device: str) -> Callable[[], None]:
    """The training iteration of ``method`` on ``pair``.

    Args:
        pair (str): A key of :data:`PAIRS`.
        method (str): One of :data:`METHODS` shipped for the pair.
        batch_size (int): ``b``; KD and CRD get ``2b`` images.
        device (str): Where the model runs.

    Returns:
        TrainStep | FloorStep: Runs one iteration when called.
    """
    path = config_of(pair, method)
    if path is None:
        raise ValueError(f'no {method} config is shipped for {pair}.')
    cfg = load_config(path)
    variant = VARIANTS.get(method, {})
    images = 2 * batch_size if method in DOUBLE_IMAGES else batch_size
    data = packed_batch(cfg, images, PAIRS[pair]['image_size'])
    model = build_model(cfg, device, **variant.get('model', {}))
    if method.startswith(('floor', 'teacher')):
        processed = model.data_preprocessor(data, True)
        if method.startswith('teacher'):
            return TeacherStep(model, processed['inputs'])
        labels = torch.cat(
            [s.gt_label for s in processed['data_samples']]).to(device)
        return FloorStep(model.student, model.teacher, processed['inputs'],
                         labels, cfg.optim_wrapper.optimizer,
                         variant.get('autocast', False))
    optim_cfg = copy.deepcopy(cfg.optim_wrapper)
    if variant.get('autocast'):
        optim_cfg.update(
            type='CPUAmpOptimWrapper' if device == 'cpu' else
            'AmpOptimWrapper',
            dtype='bfloat16')
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        optim_wrapper = build_optim_wrapper(model, optim_cfg)
    return TrainStep(model, optim_wrapper, data)


def rows_of(method: str, batch_size: int) -> int:
    """Network rows an iteration: ``b`` for the student alone, else
    ``2b`` (the teacher's forward alone included)."""
    return batch_size if method == 'student' else 2 * batch_size


def time_steps(step: Callable[[], None], iters: int, warmup: int,
               device: str) -> List[float]:
    """Seconds of ``iters`` iterations after ``warmup`` untimed ones."""
    cuda = device.startswith('cuda')
    times = []
    for i in range(warmup + iters):
        if cuda:
            torch.cuda.synchronize(device)
        start = time.perf_counter()
        step()
        if cuda:
            torch.cuda.synchronize(device)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return times


def run_rounds(steps: Dict[str, Callable[[], None]],
               rounds: int,
               iters: int,
               warmup: int,
               device: str,
               seed: int = 0,
               progress: Optional[Callable[[str], None]] = None
               ) -> Dict[str, List[float]]:
    """Per-round median seconds an iteration of every method, interleaved:
    a round is ``iters`` passes, and a pass runs every method in a new
    random order, each ``warmup`` untimed iterations (which take the cost
    of switching from another method's memory and caches, as a training run
    never does) and then one timed. So the methods of a round share the
    machine's speed at the scale of a few iterations.

    Args:
        steps (dict): Method name -> one training iteration.
        rounds (int): Rounds.
        iters (int): Timed iterations a method and round (passes).
        warmup (int): Untimed iterations before each timed one.
        device (str): ``'cpu'`` or a CUDA device (synchronised around each
            iteration).
        seed (int): Seed of the orders. Defaults to 0.
        progress (callable, optional): Called with a line a round.

    Returns:
        dict: Method name -> ``rounds`` medians.
    """
    order = list(steps)
    rng = random.Random(seed)
    medians: Dict[str, List[float]] = {m: [] for m in steps}
    for r in range(rounds):
        times: Dict[str, List[float]] = {m: [] for m in steps}
        for _ in range(iters):
            rng.shuffle(order)
            for method in order:
                times[method] += time_steps(steps[method], 1, warmup, device)
        for method in steps:
            medians[method].append(statistics.median(times[method]))
        if progress is not None:
            progress(f'round {r + 1}/{rounds}: ' +
                     ', '.join(f'{m} {medians[m][-1]:.3f} s'
                               for m in steps))
    return medians


def quartiles(values: Sequence[float]) -> Tuple[float, float, float]:
    """First quartile, median and third quartile (linear interpolation
    between order statistics, numpy's default)."""
    q1, q2, q3 = np.percentile(np.asarray(values, dtype=float),
                               [25, 50, 75])
    return float(q1), float(q2), float(q3)


def summarise(medians: Dict[str, List[float]],
              reference: str = 'floor') -> Dict[str, Dict[str, float]]:
    """Each method's median seconds and the quartiles of its per-round
    ratio to ``reference``.

    Args:
        medians (dict): Method -> per-round seconds (:func:`run_rounds`).
        reference (str): The method the others are divided by. Defaults to
            ``'floor'``.

    Returns:
        dict: Method -> ``sec`` (median over rounds) and, where the
        reference was timed, ``ratio``, ``q1``, ``q3``, ``iqr``.
    """
    out = {}
    for method, secs in medians.items():
        row = dict(sec=statistics.median(secs))
        if reference in medians:
            ratios = [s / f for s, f in zip(secs, medians[reference])]
            q1, q2, q3 = quartiles(ratios)
            row.update(ratio=q2, q1=q1, q3=q3, iqr=q3 - q1)
        out[method] = row
    return out


def pin_threads(threads: Optional[int] = None) -> str:
    """Fix torch's intra-op threads (and one inter-op thread) and pin the
    process to as many CPU cores, so the parallelism does not vary between
    methods and rounds.

    Args:
        threads (int, optional): Threads; defaults to the cores this
            process may run on.

    Returns:
        str: The setting, for the report.
    """
    cores = sorted(os.sched_getaffinity(0)) if hasattr(
        os, 'sched_getaffinity') else list(range(os.cpu_count() or 1))
    threads = threads or len(cores)
    if threads > len(cores):
        raise ValueError(f'--threads {threads} exceeds the {len(cores)} '
                         'cores this process may run on.')
    if hasattr(os, 'sched_setaffinity'):
        os.sched_setaffinity(0, cores[:threads])
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set, or parallel work already ran
        pass
    return (f'{torch.get_num_threads()} threads pinned to cores '
            f'{cores[:threads]}')


#: The parts of a DCCD ``train_step`` the breakdown reports, in order.
PARTS = ('preprocess', 'teacher forward', 'student forward',
         'losses + connector', 'backward + SGD step', 'recorders',
         'other (mmrazor/mmengine plumbing)')


def _labelled(fn: Callable, label: str, sync: Optional[str]) -> Callable:
    """``fn`` inside a profiler range named ``label`` (the device
    synchronised before it closes, so the range spans its kernels)."""

    def wrapper(*args, **kwargs):
        with torch.profiler.record_function(label):
            out = fn(*args, **kwargs)
            if sync is not None:
                torch.cuda.synchronize(sync)
        return out

    return wrapper


@contextmanager
def instrumented(model: torch.nn.Module, optim_wrapper,
                 device: str) -> Iterator[None]:
    """Label the parts of a distillation ``train_step`` (:data:`PARTS`)
    with profiler ranges, by wrapping the methods of this model instance
    and the mmrazor recorders' hooks; restored on exit."""
    from mmrazor.models.task_modules.recorder.base_recorder import \
        BaseRecorder
    sync = device if device.startswith('cuda') else None
    # the frozen teacher that runs: the fast copy once it is made
    fast = getattr(model, '_fast', None)
    teacher = model.teacher if fast is None or fast.copy is None else \
        fast.copy
    targets = [(model, 'train_step', 'train_step'),
               (model.data_preprocessor, 'forward', PARTS[0]),
               (teacher, 'forward', PARTS[1]),
               (model.student, 'forward', PARTS[2]),
               (model.distiller, 'compute_distill_losses', PARTS[3]),
               (optim_wrapper, 'update_params', PARTS[4])]
    hooks = []
    modules = list(model.modules())
    if teacher is not model.teacher:
        modules += list(teacher.modules())
    for module in modules:
        for table in (module._forward_hooks, module._forward_pre_hooks):
            for key, hook in table.items():
                if isinstance(getattr(hook, '__self__', None), BaseRecorder):
                    hooks.append((table, key, hook))
    with ExitStack() as stack:
        for obj, name, label in targets:
            had = name in vars(obj)
            original = getattr(obj, name)
            setattr(obj, name, _labelled(original, label, sync))
            stack.callback(
                (lambda o=obj, n=name, f=original: setattr(o, n, f))
                if had else (lambda o=obj, n=name: delattr(o, n)))
        for table, key, hook in hooks:
            table[key] = _labelled(hook, PARTS[5], None)
            stack.callback(table.__setitem__, key, hook)
        yield


def _labelled_ancestor(event, labels: Sequence[str]):
    """The innermost labelled range around ``event`` (None if none)."""
    parent = event.cpu_parent
    while parent is not None and parent.name not in labels:
        parent = parent.cpu_parent
    return parent


def _exclusive_times(events, labels: Sequence[str]) -> Dict[str, float]:
    """Microseconds of each labelled range minus the labelled ranges nested
    in it (on the CPU thread that opened them)."""
    totals = {label: 0.0 for label in labels}
    for event in events:
        if event.name not in totals:
            continue
        totals[event.name] += event.cpu_time_total
        parent = _labelled_ancestor(event, labels)
        if parent is not None:
            totals[parent.name] -= event.cpu_time_total
    return totals


def part_operator_counts(events, labels: Sequence[str],
                         steps: int) -> Dict[str, float]:
    """Top-level ``aten::`` calls a step inside each labelled range (not
    counting the operators an operator calls, nor nested ranges')."""
    counts = {label: 0 for label in labels}
    for event in events:
        parent = event.cpu_parent
        if not event.name.startswith('aten::') or (
                parent is not None and parent.name.startswith('aten::')):
            continue
        owner = _labelled_ancestor(event, labels)
        if owner is not None:
            counts[owner.name] += 1
    return {label: n / steps for label, n in counts.items()}


def operator_counts(prof, steps: int) -> Dict[str, float]:
    """Calls a step of every ``aten::`` operator in a profile."""
    return {
        e.key: e.count / steps
        for e in prof.key_averages() if e.key.startswith('aten::')
    }


def profile_steps(step: Callable[[], None], steps: int):
    """A ``torch.profiler`` profile of ``steps`` iterations (CPU, and CUDA
    where available), after one untimed iteration."""
    from torch.profiler import ProfilerActivity, profile
    activities = [ProfilerActivity.CPU]
    if torch.cuda.is_available():
        activities.append(ProfilerActivity.CUDA)
    step()
    with profile(activities=activities) as prof:
        for _ in range(steps):
            step()
    return prof


def profile_breakdown(step: TrainStep, steps: int,
                      device: str) -> Tuple[Dict[str, float], object]:
    """Milliseconds a step of each part of a DCCD ``train_step``.

    Args:
        step (TrainStep): Iterations of the DCCD model.
        steps (int): Profiled iterations.
        device (str): The model's device.

    Returns:
        tuple: ``{part: ms a step}`` with ``'total'``, ``{part: top-level
        aten calls a step}``, and the profile.
    """
    step()  # makes the fast teacher copy, which is then labelled
    with instrumented(step.model, step.optim_wrapper, device):
        prof = profile_steps(step, steps)
    labels = ('train_step', ) + PARTS[:-1]
    events = prof.events()
    times = _exclusive_times(events, labels)
    ops = part_operator_counts(events, labels, steps)
    ops[PARTS[-1]] = ops.pop('train_step')
    parts = {p: times[p] / 1e3 / steps for p in PARTS[:-1]}
    parts[PARTS[-1]] = times['train_step'] / 1e3 / steps
    parts['total'] = sum(parts.values())
    ops['total'] = sum(ops.values())
    return parts, ops, prof


def extra_operators(counts: Dict[str, float],
                    floor: Dict[str, float],
                    top: int = 15) -> List[Tuple[str, float, float]]:
    """Operators called more often a step than in the floor, most extra
    calls first: ``(name, calls, floor calls)``."""
    extra = [(name, n, floor.get(name, 0.0)) for name, n in counts.items()
             if n > floor.get(name, 0.0)]
    extra.sort(key=lambda e: (e[2] - e[1], e[0]))
    return extra[:top]


def format_table(results: List[Dict], device: str) -> str:
    """The markdown table: one row a (pair, method); the last column is the
    peak step memory on a GPU, the page faults an iteration on the CPU."""
    mem, key = (('peak step memory (MiB)', 'peak_mem_mib')
                if device.startswith('cuda') else
                ('page faults / iter', 'page_faults'))
    head = ('| pair | method | images x views (rows) | s / iter | rows / s '
            f'| time / floor (IQR) | {mem} |')
    lines = [head, '| --- | --- | --- | ---: | ---: | ---: | ---: |']
    for r in results:
        if 'error' in r:
            lines.append(f'| {r["pair"]} | {r["method"]} | | n/a | n/a | '
                         f'n/a ({r["error"]}) | |')
            continue
        ratio = (f'{r["ratio"]:.3f} ({r["q1"]:.3f}-{r["q3"]:.3f})'
                 if 'ratio' in r else 'n/a')
        views = 2 if r['method'].startswith('dccd') else 1
        images = r['rows'] // views
        line = (f'| {r["pair"]} | {r["method"]} | {images} x {views} '
                f'({r["rows"]}) | {r["sec"]:.4f} | {r["rows"] / r["sec"]:.1f}'
                f' | {ratio} |')
        line += f' {r.get(key, float("nan")):.0f} |'
        lines.append(line)
    return '\n'.join(lines)


def format_breakdown(pair: str, parts: Dict[str, float],
                     ops: Dict[str, float], floor_ms: Optional[float]) -> str:
    """The markdown breakdown of one DCCD profile."""
    lines = [f'DCCD breakdown, {pair} (profiled; times under the profiler, '
             'operator counts exact):', '',
             '| part | ms / step | share | top-level aten calls / step |',
             '| --- | ---: | ---: | ---: |']
    for part in PARTS + ('total', ):
        lines.append(f'| {part} | {parts[part]:.1f} | '
                     f'{parts[part] / parts["total"]:.1%} | {ops[part]:g} |')
    if floor_ms is not None:
        lines.append(f'| floor (profiled) | {floor_ms:.1f} | '
                     f'{floor_ms / parts["total"]:.1%} | |')
    return '\n'.join(lines)


def format_operators(pair: str, extra: List[Tuple[str, float,
                                                  float]]) -> str:
    """The markdown list of operators DCCD calls more often than the
    floor."""
    lines = [f'Operators DCCD calls more often than the floor, {pair} '
             '(calls a step):', '', '| operator | DCCD | floor |',
             '| --- | ---: | ---: |']
    lines += [f'| `{n}` | {a:g} | {b:g} |' for n, a, b in extra]
    return '\n'.join(lines)


def peak_step_memory(step: Callable[[], None], device: str) -> float:
    """MiB allocated on the GPU during one iteration beyond what was
    allocated before it."""
    torch.cuda.synchronize(device)
    before = torch.cuda.memory_allocated(device)
    torch.cuda.reset_peak_memory_stats(device)
    step()
    torch.cuda.synchronize(device)
    return (torch.cuda.max_memory_allocated(device) - before) / 2**20


def step_page_faults(step: Callable[[], None]) -> int:
    """Minor page faults of this process during one iteration: the kernel
    mapping in fresh pages for memory the allocator had given back
    (:func:`~mmdccd.utils.retain_freed_memory`). Taken after the timed
    rounds, when the allocator's heap has settled."""
    import resource
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    step()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def benchmark_pair(pair: str,
                   methods: Sequence[str],
                   batch_size: int,
                   rounds: int,
                   iters: int,
                   warmup: int,
                   device: str,
                   profile: int = 0,
                   seed: int = 0,
                   log: Callable[[str], None] = print) -> Dict:
    """Build, time and (optionally) profile the methods of one pair.

    Args:
        pair (str): A key of :data:`PAIRS`.
        methods (Sequence[str]): Methods; those without a shipped config
            for the pair are skipped.
        batch_size (int): ``b``.
        rounds (int): Rounds (:func:`run_rounds`).
        iters (int): Timed iterations a method and round.
        warmup (int): Untimed iterations before them.
        device (str): ``'cpu'`` or ``'cuda[:i]'``.
        profile (int): Profiled DCCD and floor iterations for the breakdown;
            0 for none. Defaults to 0.
        seed (int): Seed of the round orders. Defaults to 0.
        log (callable): Progress lines. Defaults to ``print``.

    Returns:
        dict: ``results`` (rows of :func:`format_table`: on the GPU with
        the peak step memory, on the CPU with :func:`step_page_faults`), and
        with
        ``profile`` the ``breakdown`` (ms a part), the floor's profiled ms
        and the ``extra_operators``.
    """
    steps, results = {}, []
    for method in methods:
        if config_of(pair, method) is None:
            continue
        try:
            steps[method] = method_step(pair, method, batch_size, device)
        except Exception as e:  # report, e.g. out of memory, and go on
            error = f'{type(e).__name__}: {str(e)[:120]}'
            log(f'{pair} {method}: failed: {error}')
            results.append(dict(pair=pair, method=method, error=error))
    memory = {
        m: peak_step_memory(s, device)
        for m, s in steps.items()
    } if device.startswith('cuda') else {}
    medians = run_rounds(steps, rounds, iters, warmup, device, seed,
                         lambda line: log(f'{pair} {line}'))
    summary = summarise(medians)
    for method, step in steps.items():
        row = dict(pair=pair, method=method,
                   rows=rows_of(method, batch_size), **summary[method])
        if method in memory:
            row['peak_mem_mib'] = memory[method]
        else:
            row['page_faults'] = step_page_faults(step)
        results.append(row)
    results.sort(key=lambda r: METHODS.index(r['method']))
    out = dict(results=results)
    if profile and 'dccd' in steps:
        parts, ops, prof = profile_breakdown(steps['dccd'], profile, device)
        out['breakdown'], out['breakdown_ops'] = parts, ops
        if 'floor' in steps:
            sync = device if device.startswith('cuda') else None
            floor_prof = profile_steps(
                _labelled(steps['floor'], 'train_step', sync), profile)
            out['floor_ms'] = _exclusive_times(
                floor_prof.events(), ('train_step', ))['train_step'] / 1e3 / \
                profile
            out['extra_operators'] = extra_operators(
                operator_counts(prof, profile),
                operator_counts(floor_prof, profile))
    return out
