"""The reproduction study: the paper's claims, one by one, on Fashion-MNIST.

Every run is the demo's (:mod:`mmdccd.experiments.demo`): the same cached
teacher (CIFAR resnet20, trained once and fixed across seeds; a setting may
name another, trained and pinned the same way), the same
student (resnet8), budget, optimiser and data; a *setting* changes only what
it names (which terms of eq. 14 are on, a weight, the schedule ...) and a
*seed* changes the student's initialisation and the data order
(``randomness.seed``). Each (setting, seed) run is cached as
``<cache>/<setting>/seed<k>/result.json`` (written last, atomically), so a
study resumes where it stopped and can be spread over sessions.

A run records, besides the demo's numbers (last val top-1, test top-1
evaluated once at the end, val curve, train time):

- the loss terms of the first iterations and every ``trace_interval``-th
  (for the beta question: how large ``beta * L_CCD`` is against CE and KD);
- fig. 8b over training: the mean distance of the student's channels from
  their geometric median on 512 val images at every validation;
- on the test set, after training: the mean off-diagonal ``|rho|`` of the
  student's penultimate channels (our measure, not the paper's), the mean
  distance to the geometric median (fig. 8b) and the mean instance cosine
  similarity (fig. 1); for seed 0 the test features themselves (for the
  fig. 1 and fig. 8a pictures).

:func:`summarise` turns the cached runs into mean +- std tables and tests
each difference against its noise (two standard errors of the difference of
two means, Welch); the test set chooses nothing.
"""
import copy
import functools
import json
import math
import os
import os.path as osp
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from mmengine.hooks import Hook

from mmdccd.evaluation import channel_redundancy, extract_pooled_features
from .demo import CONFIG_DIR, TEACHER

#: Validation images of the fig. 8b curve (as ChannelRedundancyHook).
CURVE_IMAGES = 512


@dataclass(frozen=True)
class Setting:
    """One configuration of the study.

    Args:
        name (str): Cache folder and table key, e.g. ``'dccd'``.
        label (str): What the tables print.
        config (str): The demo config it starts from (``configs/demo``).
        options (dict): ``Config.merge_from_dict`` overrides (dotted keys).
        teacher (str): The teacher's config (``configs/demo``): its network
            replaces the distillation config's teacher, and its own pinned
            checkpoint is distilled. Defaults to the demo's teacher.
        pdd (bool): The student has PDD masks: after training, prune,
            fine-tune and measure (:mod:`mmdccd.experiments.pdd_study`).
            Defaults to False.
    """

    name: str
    label: str
    config: str
    options: Dict = field(default_factory=dict)
    teacher: str = TEACHER
    pdd: bool = False


def _terms(*terms: str, **extra) -> Dict:
    return {'model.terms': list(terms), **extra}


STUDENT, KD, DCCD = ('student_r8_fmnist', 'kd_r20_r8_fmnist',
                     'dccd_r20_r8_fmnist')

#: Table III's ablation at this scale. The CCD settings keep the demo's
#: beta (0.025, chosen on val); two views = 128 images x 2 (256 rows).
ACCURACY = (
    Setting('student', 'student alone (CE)', STUDENT),
    Setting('kd', 'KD (one view)', KD),
    Setting('kd_2view', 'KD on two views', DCCD, _terms('kd')),
    Setting('kd_dkd', 'KD + DKD', DCCD, _terms('kd', 'dkd')),
    Setting('ccd', 'CCD', DCCD, _terms('ccd')),
    Setting('ccd_kd', 'CCD + KD', DCCD, _terms('kd', 'ccd')),
    Setting('dccd', 'DCCD (KD + DKD + CCD)', DCCD),
)
#: Fig. 9a: theta (the contrastive weight of eq. 4) at the demo's beta.
THETA = tuple(
    Setting(f'dccd_theta{t:g}', f'DCCD theta {t:g}', DCCD,
            {'model.theta': t}) for t in (0.0, 1.0, 4.0))
#: Beta around the paper's rule (25.6 / 64 = 0.4 for this teacher), and
#: the rule read from the paper's text (``DCCD(beta='balanced')``).
BETA = tuple(
    Setting(f'dccd_beta{b:g}', f'DCCD beta {b:g}', DCCD, {'model.beta': b})
    for b in (0.1, 0.2, 0.4, 0.8)) + (Setting(
        'dccd_balanced', "DCCD beta 'balanced'", DCCD,
        {'model.beta': 'balanced'}), )

#: The beta question: one difference from the demo at a time, each run with
#: KD, DCCD at the demo's beta (0.025 = 1.6 / d), at the paper's (25.6 / d)
#: and balanced, d being the teacher's feature width (its config's
#: ``head.in_channels``). A factor is (what, options) or, for another
#: teacher, (what, options, teacher config).
FACTORS = {
    'long': ('3x the iterations', {
        'train_cfg.max_iters': 2400,
        'train_cfg.val_interval': 600
    }),
    'bs64': ('batch 64, same epochs', {
        'train_dataloader.batch_size': 64,
        'train_cfg.max_iters': 1600,
        'train_cfg.val_interval': 400
    }),
    'lr0.05': ('lr 0.05', {
        'optim_wrapper.optimizer.lr': 0.05
    }),
    'linear': ('linear M_s', {
        'model.connector.num_layers': 1
    }),
    'wide': ('a resnet8x4 teacher (d = 256)', {}, 'teacher_r8x4_fmnist'),
}


@functools.lru_cache(maxsize=None)
def _teacher_net(name: str):
    """The model dict of ``configs/demo/<name>.py``."""
    from mmengine.config import Config
    return Config.fromfile(osp.join(CONFIG_DIR, name + '.py')).model


def _factor(factor: str) -> Tuple[str, Dict, str, int]:
    """A factor's (what, options, teacher config, d)."""
    what, options, teacher = (FACTORS[factor] + (TEACHER, ))[:3]
    return what, options, teacher, _teacher_net(teacher).head.in_channels


def _factor_settings() -> Tuple[Setting, ...]:
    settings = []
    for factor in FACTORS:
        what, options, teacher, d = _factor(factor)
        demo_beta = {} if teacher == TEACHER else {'model.beta': 1.6 / d}
        variants = [('dccd', f'DCCD beta {1.6 / d:g}', DCCD, demo_beta),
                    (f'dccd_beta{25.6 / d:g}', f'DCCD beta {25.6 / d:g}',
                     DCCD, {
                         'model.beta': 25.6 / d
                     }),
                    ('dccd_balanced', "DCCD beta 'balanced'", DCCD, {
                        'model.beta': 'balanced'
                    })]
        if factor != 'linear':  # M_s is CCD's alone: KD is the same
            variants.insert(0, ('kd', 'KD', KD, {}))
        settings += [
            Setting(f'{factor}_{name}', f'{label}, {what}', config,
                    dict(options, **extra), teacher)
            for name, label, config, extra in variants
        ]
    return tuple(settings)


CCS_CONFIG, CCS_KD_CONFIG = 'ccs_r20_r8_fmnist', 'ccs_kd_r20_r8_fmnist'
#: The CCS weights tried at seed 0 (``loss_ccs.loss_weight``): the loss is
#: a mean squared error of correlations (entries in [-1, 1]), so a decade
#: apart. 1, 10 and 100 first; 1 was best for both settings, at the grid's
#: edge, so 0.1 was added (docs/study.md).
CCS_WEIGHTS = (0.1, 1.0, 10.0, 100.0)


def _ccs_settings(name: str, label: str,
                  config: str) -> Tuple[Setting, ...]:
    return tuple(
        Setting(f'{name}_w{w:g}', f'{label}, weight {w:g}', config,
                {'model.distiller.distill_losses.loss_ccs.loss_weight': w})
        for w in CCS_WEIGHTS)


#: The related seed method CCS on the demo's pair: CE + CCS (no KD) and
#: CCS + KD (how DCCD's Table I combines every method), each with its
#: weight chosen on val at seed 0 (:data:`CHOICES`).
CCS = _ccs_settings('ccs', 'CE + CCS', CCS_CONFIG) + _ccs_settings(
    'ccs_kd', 'CCS + KD', CCS_KD_CONFIG)

#: Settings whose weight is chosen on the held-out val split: choice name
#: -> its candidates. Every candidate runs at :data:`CHOICE_SEED`; the other
#: seeds run only the candidate with the best val top-1 there (the test set
#: chooses nothing).
CHOICES: Dict[str, Tuple[str, ...]] = {
    'ccs': tuple(s.name for s in CCS[:len(CCS_WEIGHTS)]),
    'ccs_kd': tuple(s.name for s in CCS[len(CCS_WEIGHTS):]),
}
CHOICE_SEED = 0

#: The PDD group (:mod:`mmdccd.experiments.pdd_study`): the PDD authors'
#: resnet20 with channel masks, distilled from a resnet56 teacher; the KD
#: and DCCD arms differ only in the method (the same two views, CE and KD
#: weights; DCCD adds DKD and CCD at the demo's beta), the authors' own
#: objective beside them; each with the dense student (no masks) distilled
#: the same way as its reference.
PDD_TEACHER = 'teacher_r56_fmnist'
_PDD_ARMS = (('kd', 'KD (two views)', 'pdd_kd_r56_r20pdd_fmnist'),
             ('dccd', 'DCCD', 'pdd_dccd_r56_r20pdd_fmnist'),
             ('authors', "the authors' 0.6 CE + 0.4 KD (T 3)",
              'pdd_authors_r56_r20pdd_fmnist'))
PDD = tuple(
    Setting(f'pdd_{arm}', f'PDD, {label}', config, teacher=PDD_TEACHER,
            pdd=True) for arm, label, config in _PDD_ARMS) + tuple(
        Setting(f'pdd_{arm}_dense', f'dense resnet20, {label}', config,
                {'model.architecture.backbone.use_masks': False},
                PDD_TEACHER) for arm, label, config in _PDD_ARMS)

GROUPS: Dict[str, Tuple[Setting, ...]] = dict(
    accuracy=ACCURACY, beta=BETA, theta=THETA,
    beta_question=_factor_settings(), ccs=CCS, pdd=PDD)
SETTINGS: Dict[str, Setting] = {
    s.name: s
    for group in GROUPS.values() for s in group
}


class StudyProbe(Hook):
    """Collect the study's per-run measurements during training: the loss
    terms, fig. 8b's measure at every validation and, for
    ``beta='balanced'``, the beta the run settled on.

    Args:
        trace_interval (int): Record the loss terms every this many
            iterations (and at each of the first ``trace_first``).
        trace_first (int): Iterations recorded from the start. Defaults to
            20.
    """

    priority = 'LOW'

    def __init__(self, trace_interval: int, trace_first: int = 20) -> None:
        self.trace_interval = trace_interval
        self.trace_first = trace_first
        self.loss_trace: List[Dict[str, float]] = []
        self.redundancy_curve: List[Dict[str, float]] = []
        self.balanced_beta: Optional[float] = None

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        it = runner.iter + 1
        if it <= self.trace_first or it % self.trace_interval == 0:
            self.loss_trace.append(
                dict(iter=it, **{
                    k: float(torch.as_tensor(v).detach())
                    for k, v in (outputs or {}).items() if 'loss' in k
                }))

    def after_train(self, runner) -> None:
        model = getattr(runner.model, 'module', runner.model)  # DDP-wrapped
        balanced = getattr(model, 'balanced_beta', None)
        if balanced is not None:
            self.balanced_beta = float(balanced.beta)

    def after_val_epoch(self, runner, metrics=None) -> None:
        if runner.train_loop is None:
            return
        feats = extract_pooled_features(runner.model, runner.val_dataloader,
                                        CURVE_IMAGES)
        self.redundancy_curve.append(
            dict(iter=runner.iter, **channel_redundancy(feats)))


def _teacher_files(study_dir: str, name: str) -> Tuple[str, str]:
    """The pinned checkpoint and result of teacher ``name``: ``teacher.pth``
    and ``teacher.json`` for the demo's, ``<name>.pth`` / ``.json`` else."""
    stem = osp.join(study_dir, 'teacher' if name == TEACHER else name)
    return stem + '.pth', stem + '.json'


def pinned_teacher(study_dir: str,
                   name: str = TEACHER) -> Optional[Tuple[str, Dict]]:
    """The study's own teacher ``name`` (checkpoint, result), once pinned."""
    ckpt, info = _teacher_files(study_dir, name)
    if not (osp.exists(ckpt) and osp.exists(info)):
        return None
    with open(info) as f:
        return ckpt, json.load(f)


def pin_teacher(ckpt: str, info: Dict, study_dir: str,
                name: str = TEACHER) -> Tuple[str, Dict]:
    """Keep the teacher the study's first run used as the study's own
    (its weights alone, loadable with ``weights_only=True``), so every
    later run, in any session, distils from the same teacher even when the
    demo's teacher cache key changes.

    Returns:
        tuple[str, dict]: The pinned checkpoint and ``info`` with its source.
    """
    from mmdccd.utils.checkpoint import load_checkpoint_file
    os.makedirs(study_dir, exist_ok=True)
    state = load_checkpoint_file(ckpt, map_location='cpu')['state_dict']
    path, info_path = _teacher_files(study_dir, name)
    torch.save(dict(state_dict=state, meta=dict(source=ckpt)), path + '.tmp')
    os.replace(path + '.tmp', path)
    info = dict(info, source=ckpt)
    _write_json(info_path, info)
    return path, info


def study_teachers(names: Sequence[str], prep, args) -> Dict[str, str]:
    """Teacher name -> pinned checkpoint, for ``names`` besides the demo's
    (``prep.teacher_ckpt``): each trained once with the demo's recipe
    (:func:`~mmdccd.experiments.demo.get_teacher`), then pinned."""
    from .demo import get_teacher
    teachers = {TEACHER: prep.teacher_ckpt}
    for name in sorted(set(names) - {TEACHER}):
        pinned = pinned_teacher(args.study_dir, name)
        if pinned is None:
            ckpt, info = get_teacher(prep.data_root, prep.work_dir,
                                     args.cache_dir, args.quick,
                                     prep.precision, name=name)
            pinned = pin_teacher(ckpt, info, args.study_dir, name)
        teachers[name] = pinned[0]
    return teachers


def _use_teacher(cfg, name: str) -> None:
    """Distil from the network of ``configs/demo/<name>.py``: its backbone
    and head replace the config's teacher's, its width DCCD's
    ``teacher_feat_dim``."""
    net = copy.deepcopy(_teacher_net(name))
    cfg.model.teacher.backbone = net.backbone
    cfg.model.teacher.head = net.head
    if 'teacher_feat_dim' in cfg.model:
        cfg.model.teacher_feat_dim = net.head.in_channels


def run_dir(cache_dir: str, setting: str, seed: int) -> str:
    """``<cache_dir>/<setting>/seed<seed>``."""
    return osp.join(cache_dir, setting, f'seed{seed}')


def load_result(cache_dir: str, setting: str, seed: int) -> Optional[Dict]:
    """A finished run's ``result.json``, or None."""
    path = osp.join(run_dir(cache_dir, setting, seed), 'result.json')
    if not osp.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def _write_json(path: str, obj) -> None:
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(obj, f, indent=1)
    os.replace(tmp, path)


def run_setting(setting: Setting, seed: int, prep, study_dir: str,
                quick: bool = False,
                teachers: Optional[Dict[str, str]] = None) -> Dict:
    """Train one (setting, seed) run, or return its cached result.

    Args:
        setting (Setting): What to run.
        seed (int): ``randomness.seed`` of the run.
        prep (Prepared): The demo's data, precision and teacher
            (:func:`mmdccd.experiments.demo.prepare`).
        study_dir (str): Root of the per-run cache.
        quick (bool): The demo's smoke-test budget. Defaults to False.
        teachers (dict, optional): Teacher name -> checkpoint
            (:func:`study_teachers`); defaults to the demo's teacher alone.

    Returns:
        dict: ``setting``, ``seed``, the demo's numbers (:func:`run`),
        ``loss_trace``, ``redundancy_curve`` and ``test_redundancy``.
    """
    from .demo import build_cfg, run

    cached = load_result(study_dir, setting.name, seed)
    if cached is not None:
        return cached
    out = run_dir(study_dir, setting.name, seed)
    os.makedirs(out, exist_ok=True)
    teachers = teachers or {TEACHER: prep.teacher_ckpt}
    teacher_ckpt = None if setting.config == STUDENT else \
        teachers[setting.teacher]
    cfg = build_cfg(setting.config, prep.data_root, osp.join(out, 'work'),
                    quick, teacher_ckpt, prep.precision)
    if setting.teacher != TEACHER:
        _use_teacher(cfg, setting.teacher)
    cfg.merge_from_dict(setting.options)
    if teacher_ckpt is not None:
        # every committed run distilled from the eager teacher: a run of
        # the fast path (BatchNorm folded) differs at float rounding, and
        # a comparison mixes no code paths
        cfg.model.fast_teacher = False
    cfg.randomness.seed = seed
    probe = StudyProbe(trace_interval=max(cfg.train_cfg.max_iters // 40, 1))
    hooks = [probe]
    if setting.pdd:
        from .pdd_study import MaskProbe
        hooks.append(MaskProbe())
    start = time.time()
    result = run(cfg, f'{setting.name} seed {seed}', hooks=hooks,
                 keep_features=seed == 0)
    if setting.pdd:
        from .pdd_study import measure
        result['pdd'] = measure(hooks[1], cfg, osp.join(out, 'work'), prep,
                                quick, STUDENT)
    result.update(
        setting=setting.name,
        seed=seed,
        precision=prep.precision,
        quick=quick,
        wall_time_s=time.time() - start,
        loss_trace=probe.loss_trace,
        redundancy_curve=probe.redundancy_curve)
    if probe.balanced_beta is not None:
        result['balanced_beta'] = probe.balanced_beta
    result.pop('checkpoint')
    if 'test_features' in result:
        torch.save(
            dict(features=result.pop('test_features'),
                 labels=result.pop('test_labels')),
            osp.join(out, 'test_features.pt'))
    # the run is summarised by its numbers: its checkpoints are not kept
    for folder, _, names in os.walk(osp.join(out, 'work')):
        for name in names:
            if name.endswith('.pth') or name == 'last_checkpoint':
                os.remove(osp.join(folder, name))
    _write_json(osp.join(out, 'result.json'), result)
    return result


def run_study(settings: Sequence[Setting], seeds: Sequence[int], prep,
              study_dir: str, quick: bool = False,
              teachers: Optional[Dict[str, str]] = None) -> None:
    """Run every (setting, seed) not cached yet, seed-major (all settings of
    seed 0 first), so an interrupted study has comparable seeds done;
    ``teachers`` as :func:`run_setting`'s."""
    names = {s.name for s in settings}
    candidates = {n for c in CHOICES.values() for n in c if n in names}
    if candidates and CHOICE_SEED not in seeds and any(
            chosen_setting(study_dir, choice) is None for choice in CHOICES
            if set(CHOICES[choice]) & candidates):
        raise ValueError(
            f'the weights of {sorted(candidates)} are chosen on val at seed '
            f'{CHOICE_SEED}, which has not run yet: add {CHOICE_SEED} to '
            '--seeds.')

    def wanted(setting: Setting, seed: int) -> bool:
        # seed-major: the choice seed's runs are done before other seeds'
        if setting.name not in candidates or seed == CHOICE_SEED:
            return True
        choice = next(c for c, names in CHOICES.items()
                      if setting.name in names)
        return chosen_setting(study_dir, choice) == setting.name

    todo = [(s, k) for k in seeds for s in settings
            if load_result(study_dir, s.name, k) is None]
    print(f'study: {len(settings)} settings x {len(seeds)} seeds, '
          f'{len(todo)} runs at most to do (candidates of a weight chosen '
          f'on val run at seed {CHOICE_SEED} alone), cache {study_dir}',
          flush=True)
    for i, (setting, seed) in enumerate(todo, 1):
        if not wanted(setting, seed):
            continue
        print(f'study: run {i}/{len(todo)}: {setting.name} seed {seed}',
              flush=True)
        run_setting(setting, seed, prep, study_dir, quick, teachers)


def chosen_setting(study_dir: str, choice: str) -> Optional[str]:
    """The candidate of ``choice`` (:data:`CHOICES`) with the best last
    val top-1 at :data:`CHOICE_SEED`, or None while one has not run."""
    results = [load_result(study_dir, n, CHOICE_SEED) for n in CHOICES[choice]]
    if any(r is None for r in results):
        return None
    best = max(range(len(results)), key=lambda i: results[i]['val_top1'])
    return CHOICES[choice][best]


def _stats(values: Sequence[float]) -> Dict:
    from .results import mean_std
    stats = mean_std(list(values))
    n, std = stats['n'], stats['std']
    stats['se'] = std / math.sqrt(n) if std is not None else None
    return stats


def _factor_claims() -> Tuple[Tuple[str, str, str], ...]:
    """Per factor of the beta question: what the paper's weight costs, the
    balanced beta against the demo's, and DCCD against KD."""
    claims = []
    for factor in FACTORS:
        what, _, _, d = _factor(factor)
        claims += [(f"the paper's weight ({25.6 / d:g}), {what}",
                    f'{factor}_dccd_beta{25.6 / d:g}', f'{factor}_dccd'),
                   (f"beta 'balanced', {what}", f'{factor}_dccd_balanced',
                    f'{factor}_dccd')]
        if factor != 'linear':
            claims.append((f'DCCD against KD, {what}', f'{factor}_dccd',
                           f'{factor}_kd'))
    return tuple(claims)


#: Per group, its comparisons: (what is compared, setting, reference). A
#: reference outside the group (the demo's DCCD for beta and theta) is read
#: at the group's seeds.
CLAIMS: Dict[str, Tuple[Tuple[str, str, str], ...]] = dict(
    accuracy=(
        ('KD helps the student', 'kd', 'student'),
        ('two views alone (KD on 2b rows)', 'kd_2view', 'kd'),
        ('DKD on top of two-view KD', 'kd_dkd', 'kd_2view'),
        ('CCD on top of two-view KD', 'ccd_kd', 'kd_2view'),
        ('CCD alone helps the student', 'ccd', 'student'),
        ('DKD on top of CCD + KD (full DCCD)', 'dccd', 'ccd_kd'),
        ('CCD on top of KD + DKD (full DCCD)', 'dccd', 'kd_dkd'),
        ('DCCD against KD (headline)', 'dccd', 'kd'),
    ),
    beta=tuple((f'{s.label} against the demo\'s beta 0.025', s.name, 'dccd')
               for s in BETA),
    theta=tuple((f'{s.label} against the demo\'s theta 2', s.name, 'dccd')
                for s in THETA),
    beta_question=_factor_claims(),
    # 'ccs' and 'ccs_kd' name the candidate chosen on val (CHOICES)
    ccs=(
        ('CE + CCS helps the student', 'ccs', 'student'),
        ('CCS against CCD, each alone with CE', 'ccs', 'ccd'),
        ('CCS on top of KD', 'ccs_kd', 'kd'),
        ('DCCD against CCS + KD', 'dccd', 'ccs_kd'),
        ('CCD + KD (two views) against CCS + KD', 'ccd_kd', 'ccs_kd'),
    ),
    pdd=(
        ('DCCD against KD, the gated student', 'pdd_dccd', 'pdd_kd'),
        ('DCCD against KD, the dense student', 'pdd_dccd_dense',
         'pdd_kd_dense'),
        ('the masks, under KD', 'pdd_kd', 'pdd_kd_dense'),
        ('the masks, under DCCD', 'pdd_dccd', 'pdd_dccd_dense'),
        ("the masks, under the authors' objective", 'pdd_authors',
         'pdd_authors_dense'),
    ))
#: Reference rows a group's table shows beside its own settings, at the
#: group's seeds.
REFERENCE_ROWS: Dict[str, Tuple[str, ...]] = dict(
    ccs=('student', 'kd', 'ccd', 'ccd_kd', 'dccd'))
METRICS = (('val_top1', 'val top-1 (%)'), ('test_top1', 'test top-1 (%)'),
           ('mean_abs_channel_corr', 'mean abs rho (ours)'),
           ('mean_dist_to_gm', 'dist. to GM (fig. 8b)'),
           ('mean_instance_cosine', 'instance cos (fig. 1)'))


def _metric(result: Dict, key: str) -> float:
    if key in result:
        return float(result[key])
    return float(result['test_redundancy'][key])


def collect(study_dir: str, settings: Sequence[Setting],
            seeds: Sequence[int]) -> Dict[str, Dict]:
    """Per setting: its finished results, the seeds missing, and mean /
    std / standard error of every metric over the finished seeds."""
    table = {}
    for s in settings:
        results = [load_result(study_dir, s.name, k) for k in seeds]
        done = [r for r in results if r is not None]
        table[s.name] = dict(
            setting=s,
            results=done,
            missing=[k for k, r in zip(seeds, results) if r is None],
            stats={
                key: _stats([_metric(r, key) for r in done])
                for key, _ in METRICS + (('train_time_s', ''), )
            })
    return table


def compare(a: Dict, b: Dict) -> Dict:
    """Difference of two means with its standard error (Welch) and whether
    it is larger than twice that (None when either has < 2 seeds)."""
    if a['se'] is None or b['se'] is None:
        return dict(diff=None, se=None, beyond_noise=None)
    diff = a['mean'] - b['mean']
    se = math.sqrt(a['se']**2 + b['se']**2)
    return dict(diff=diff, se=se, beyond_noise=abs(diff) > 2 * se)


def _fmt(stats: Dict, digits: int = 2) -> str:
    from .results import format_mean_std
    return format_mean_std(stats, digits)


def format_group(table: Dict[str, Dict]) -> str:
    """A markdown table: every setting's metrics as mean +- std (n)."""
    lines = [
        '| setting | seeds | ' + ' | '.join(label for _, label in METRICS) +
        ' | train time (s) |',
        '| --- | ---: | ' + ' | '.join('---:' for _ in METRICS) + ' | ---: |'
    ]
    for row in table.values():
        st = row['stats']
        n = st['val_top1']['n']
        missing = f' (missing {row["missing"]})' if row['missing'] else ''
        cells = [
            _fmt(st[key], 2 if 'top1' in key else 3) for key, _ in METRICS
        ]
        time_s = st['train_time_s']['mean']
        time_cell = '—' if time_s is None else f'{time_s:.0f}'
        lines.append(f'| {row["setting"].label} | {n}{missing} | ' +
                     ' | '.join(cells) + f' | {time_cell} |')
    return '\n'.join(lines)


def diff_cell(c: Dict, digits: int = 2) -> str:
    """A :func:`compare` result as ``+d (se)``, or a dash where a side has
    too few seeds."""
    if c['diff'] is None:
        return '—'
    return f'{c["diff"]:+.{digits}f} ({c["se"]:.{digits}f})'


def noise_verdict(c: Dict) -> str:
    """Whether a :func:`compare` result is beyond its noise: yes, no, or a
    dash where it cannot be said."""
    return '—' if c['beyond_noise'] is None else (
        'yes' if c['beyond_noise'] else 'no')


def format_claims(table: Dict[str, Dict],
                  claims: Sequence[Tuple[str, str, str]]) -> str:
    """A markdown table: each claim's difference of means, its standard
    error and whether it is beyond the noise (|diff| > 2 SE)."""
    lines = [
        '| claim | compared | val diff (SE) | test diff (SE) | '
        'mean abs rho diff (SE) | beyond noise (val / test) |',
        '| --- | --- | ---: | ---: | ---: | :---: |'
    ]
    for claim, a, b in claims:
        if a not in table or b not in table:
            continue
        cmp = {
            key: compare(table[a]['stats'][key], table[b]['stats'][key])
            for key in ('val_top1', 'test_top1', 'mean_abs_channel_corr')
        }
        lines.append(
            f'| {claim} | {table[a]["setting"].label} vs '
            f'{table[b]["setting"].label} | {diff_cell(cmp["val_top1"])} | '
            f'{diff_cell(cmp["test_top1"])} | '
            f'{diff_cell(cmp["mean_abs_channel_corr"], 3)} | '
            f'{noise_verdict(cmp["val_top1"])} / '
            f'{noise_verdict(cmp["test_top1"])} |')
    return '\n'.join(lines)


def loss_scale(result: Dict, first: int = 20) -> Dict[str, Dict[str, float]]:
    """Mean of each logged loss term over the first ``first`` iterations
    and over the last recorded quarter of training (weighted as they enter
    eq. 14)."""
    trace = result['loss_trace']
    last_iter = trace[-1]['iter']
    start = [t for t in trace if t['iter'] <= first]
    end = [t for t in trace if t['iter'] > 0.75 * last_iter]
    keys = [k for k in trace[0] if k != 'iter']
    return {
        part: {k: sum(t[k] for t in rows) / len(rows)
               for k in keys}
        for part, rows in (('first', start), ('end', end))
    }


def _panels(names: Sequence[str], features: Dict[str, Dict], path: str,
            draw) -> str:
    """One panel a setting, ``draw(ax, data) -> (artist, title)``."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        1, len(names), figsize=(4.2 * len(names), 3.8), squeeze=False)
    for ax, name in zip(axes[0], names):
        artist, title = draw(ax, features[name])
        ax.set_title(f'{SETTINGS[name].label}\n{title}', fontsize=9)
    fig.colorbar(artist, ax=axes.ravel().tolist())
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def plot_pictures(study_dir: str, out_dir: str, seeds: Sequence[int],
                  names: Sequence[str] = ('student', 'kd', 'dccd'),
                  num_images: int = 500, tsne_iters: int = 1000) -> Dict:
    """The study's pictures for the settings ``names``: from seed 0's test
    features, fig. 1 (instance cosine similarity of ``num_images`` test
    images, sorted by label), fig. 8a (t-SNE of the channels, coloured by
    their distance to the geometric median) and our channel-correlation
    picture; and fig. 8b over training (mean distance of the channels to
    their geometric median on val, mean over the finished seeds).

    Returns:
        dict: Picture name -> path.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    from mmdccd.evaluation import (channel_points, cosine_similarity_matrix,
                                   geometric_median, plot_channel_correlation,
                                   tsne)
    os.makedirs(out_dir, exist_ok=True)
    features = {}
    for name in names:
        path = osp.join(run_dir(study_dir, name, 0), 'test_features.pt')
        if osp.exists(path):
            features[name] = torch.load(path, weights_only=True)
    shown = [n for n in names if n in features]
    paths = {}
    if shown:

        def similarity(ax, data):
            order = torch.argsort(data['labels'][:num_images], stable=True)
            sim = cosine_similarity_matrix(
                data['features'][:num_images][order])
            off = sim[~torch.eye(len(sim), dtype=torch.bool)].mean()
            return (ax.imshow(sim.numpy(), vmin=-1, vmax=1, cmap='viridis'),
                    f'mean cosine off-diagonal {off:.3f}')

        def channel_tsne(ax, data):
            points = channel_points(data['features'])
            dist = (points.double() - geometric_median(points)).norm(dim=1)
            emb = tsne(points, num_iters=tsne_iters)
            return (ax.scatter(emb[:, 0], emb[:, 1], c=dist.numpy(), s=14,
                               cmap='coolwarm'),
                    f'mean distance to GM {float(dist.mean()):.3f}')

        for pic, draw in (('instance_similarity', similarity),
                          ('channel_tsne', channel_tsne)):
            paths[pic] = _panels(shown, features,
                                 osp.join(out_dir, f'{pic}.png'), draw)
        paths['channel_correlation'] = plot_channel_correlation(
            [(SETTINGS[n].label, features[n]['features']) for n in shown],
            osp.join(out_dir, 'channel_correlation.png'))

    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for name in names:
        curves = [
            r['redundancy_curve']
            for r in (load_result(study_dir, name, k) for k in seeds) if r
        ]
        if curves:
            its = [c['iter'] for c in curves[0]]
            mean = [
                sum(c[i]['mean_dist_to_gm'] for c in curves) / len(curves)
                for i in range(len(its))
            ]
            ax.plot(its, mean, marker='o',
                    label=f'{SETTINGS[name].label} ({len(curves)} seeds)')
    ax.set_xlabel('iteration')
    ax.set_ylabel('mean distance to geometric median (val)')
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    paths['dist_to_gm_curve'] = osp.join(out_dir, 'dist_to_gm_curve.png')
    fig.savefig(paths['dist_to_gm_curve'], dpi=90)
    plt.close(fig)
    return paths


def format_loss_scale(table: Dict[str, Dict]) -> str:
    """A markdown table: the weighted loss terms of eq. (14) at the start
    and at the end of training, mean over the finished seeds."""
    lines = ['| setting | when | terms (weighted, as in eq. 14) |',
             '| --- | --- | --- |']
    for row in table.values():
        if not row['results']:
            continue
        scales = [loss_scale(r) for r in row['results']]
        for part in ('first', 'end'):
            keys = scales[0][part]
            cells = ', '.join(
                f'{k} {sum(s[part][k] for s in scales) / len(scales):.3f}'
                for k in keys if k != 'loss' or len(keys) == 1)
            lines.append(f'| {row["setting"].label} | {part} | {cells} |')
    return '\n'.join(lines)


def _chosen_settings(study_dir: str, settings: Sequence[Setting]
                     ) -> Tuple[List[Setting], List[str]]:
    """``settings`` with each choice's candidates replaced by the chosen
    one (left out while undecided), and the choices among them."""
    kept, sweep = [], []
    for s in settings:
        choice = next((c for c, names in CHOICES.items() if s.name in names),
                      None)
        if choice is None:
            kept.append(s)
        elif choice not in sweep:
            sweep.append(choice)
            chosen = chosen_setting(study_dir, choice)
            if chosen is not None:
                kept.append(SETTINGS[chosen])
    return kept, sweep


def _resolve_claims(study_dir: str, claims):
    """Claims with every choice name replaced by its chosen setting
    (claims of an undecided choice left out)."""
    resolved = []
    for claim, a, b in claims:
        a, b = (chosen_setting(study_dir, n) if n in CHOICES else n
                for n in (a, b))
        if a is not None and b is not None:
            resolved.append((claim, a, b))
    return tuple(resolved)


def _format_sweep(study_dir: str, choices: Sequence[str]) -> str:
    """The candidates of each choice at the choice seed: the val top-1
    that chose (the test top-1 shown, not used)."""
    lines = [
        f'### weights chosen on val (seed {CHOICE_SEED})\n',
        '| candidate | val top-1 (%) | test top-1 (%) | chosen |',
        '| --- | ---: | ---: | :---: |'
    ]
    for choice in choices:
        chosen = chosen_setting(study_dir, choice)
        for name in CHOICES[choice]:
            r = load_result(study_dir, name, CHOICE_SEED)
            val, test = ('—', '—') if r is None else (
                f'{r["val_top1"]:.2f}', f'{r["test_top1"]:.2f}')
            lines.append(f'| {SETTINGS[name].label} | {val} | {test} | '
                         f'{"yes" if name == chosen else ""} |')
    return '\n'.join(lines) + '\n'


def write_report(study_dir: str, out_dir: str, groups: Sequence[str],
                 seeds: Sequence[int]) -> Dict[str, str]:
    """Write ``study.md`` (every group's table, its claims, the loss scales)
    and the pictures to ``out_dir``.

    Returns:
        dict: Output name -> path.
    """
    os.makedirs(out_dir, exist_ok=True)
    parts = []
    for group in groups:
        settings, sweep = _chosen_settings(study_dir, GROUPS[group])
        references = [SETTINGS[n] for n in REFERENCE_ROWS.get(group, ())]
        table = collect(study_dir, references + settings, seeds)
        parts.append(f'## {group}\n\n{format_group(table)}\n')
        if sweep:
            parts.append(_format_sweep(study_dir, sweep))
        claims = _resolve_claims(study_dir, CLAIMS[group])
        outside = {name for _, a, b in claims for name in (a, b)} - set(table)
        references = collect(study_dir,
                             [SETTINGS[n] for n in sorted(outside)], seeds)
        parts.append('### claims\n\n'
                     f'{format_claims({**table, **references}, claims)}\n')
        own = {s.name: table[s.name] for s in settings}
        parts.append(f'### loss scales\n\n{format_loss_scale(own)}\n')
        arms = [s for s in settings if s.pdd]
        if arms:
            from .pdd_study import format_pdd
            dense = {
                s.name: f'{s.name}_dense'
                for s in arms if f'{s.name}_dense' in SETTINGS
            }
            parts.append(
                format_pdd(study_dir, arms, seeds, ('pdd_dccd', 'pdd_kd'),
                           dense))
    paths = plot_pictures(study_dir, out_dir, seeds)
    paths['md'] = osp.join(out_dir, 'study.md')
    with open(paths['md'], 'w') as f:
        f.write('\n'.join(parts))
    return paths


def add_study_args(parser) -> None:
    """The study's own options (beside the demo's, ``add_common_args``)."""
    parser.add_argument('action', choices=('run', 'report'))
    parser.add_argument(
        '--groups',
        nargs='+',
        choices=tuple(GROUPS),
        default=['accuracy'],
        help='setting groups: ' + '; '.join(
            f'{g}: {", ".join(s.name for s in ss)}'
            for g, ss in GROUPS.items()))
    parser.add_argument(
        '--settings', nargs='+', help='only these settings (names)')
    parser.add_argument(
        '--seeds', nargs='+', type=int, default=[0, 1, 2, 3, 4])
    from .demo import default_cache_dir
    parser.add_argument(
        '--study-dir',
        default=default_cache_dir('study'),
        help='per-run cache (result.json a run); a study resumes from it')
    parser.add_argument(
        '--out-dir', default='work_dirs/study',
        help='report: where study.md and the pictures go')


def run_cli(args) -> Dict:
    """``run``: train the missing runs; ``report``: write the report."""
    settings = [s for g in args.groups for s in GROUPS[g]]
    if args.settings:
        unknown = set(args.settings) - set(SETTINGS)
        if unknown:
            raise ValueError(f'unknown settings {sorted(unknown)}; choose '
                             f'from {sorted(SETTINGS)}.')
        settings = [SETTINGS[n] for n in args.settings]
    if args.action == 'report':
        paths = write_report(args.study_dir, args.out_dir, args.groups,
                             args.seeds)
        for name, path in paths.items():
            print(f'wrote {name}: {path}')
        return paths
    from .demo import prepare
    pinned = pinned_teacher(args.study_dir)
    prep = prepare(args, 'mmdccd study', teacher=pinned)
    if pinned is None:
        ckpt, info = pin_teacher(prep.teacher_ckpt, prep.teacher,
                                 args.study_dir)
        prep = prep._replace(teacher_ckpt=ckpt, teacher=info)
    teachers = study_teachers([s.teacher for s in settings], prep, args)
    start = time.time()
    run_study(settings, args.seeds, prep, args.study_dir, args.quick,
              teachers)
    print(f'study: done in {time.time() - start:.0f} s; results in '
          f'{args.study_dir}', flush=True)
    return dict(study_dir=args.study_dir)
