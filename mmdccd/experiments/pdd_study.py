"""The claims study's PDD group: pruning during distillation as a second test
of DCCD's redundancy claim.

DCCD says its student is *less redundant*. PDD (pruning during distillation,
``configs/pdd``) measures redundancy as what can be removed while the
student is distilled: one learnable gate per channel, trained with the
distillation loss; the channels whose gate is 0 at the end are removed and
the smaller student is fine-tuned. If the claim holds, PDD driven by DCCD
should close fewer channels than PDD driven by KD, or lose more accuracy
when the same number of channels is removed.

A PDD run of the study (:data:`mmdccd.experiments.study.PDD`) trains the
masked student as any study run, then (:func:`measure`):

- the fraction of channels closed at iteration 0 (:class:`MaskProbe`; the
  masks' checksum shows that both arms start from the same masks) and at the
  end, overall and per group;
- the masked student's val and test top-1 (eval mode);
- the closed channels removed (:func:`~mmdccd.models.pruning.prune_classifier`,
  exact: the pruned student's outputs equal the masked one's in eval mode,
  checked on the first test batch), parameters and FLOPs removed in both
  conventions of ``configs/pdd/README.md`` at one ``1 x 28 x 28`` image;
- the pruned student fine-tuned with CE alone for :data:`FINETUNE_ITERS`
  iterations at lr :data:`FINETUNE_LR` (cosine, the demo's optimiser and
  batch otherwise), val and test top-1 at the end;
- matched pruning: for each fraction of :data:`MATCHED_FRACTIONS`, the
  channels ranked by their mask value ``m`` over all groups, the lowest that
  fraction closed and the rest opened, the masked student's val and test
  top-1 without any retraining (one-shot; the same number of channels
  removed in every arm).
"""
import copy
import hashlib
import os.path as osp
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import torch
from mmengine.hooks import Hook
from torch import nn

from mmdccd.evaluation.features import classifier_of

#: Fine-tuning of the pruned student: CE alone, a quarter of the study's 800
#: distillation iterations, at a tenth of its lr (the authors fine-tune at
#: their distillation lr 0.01 for 3x their distillation epochs; scaled down
#: to the study's budget).
FINETUNE_ITERS = 200
FINETUNE_LR = 0.01
#: Fractions of all channels removed in the matched-pruning comparison.
MATCHED_FRACTIONS = (0.3, 0.4, 0.5, 0.6, 0.7)
#: One Fashion-MNIST image, for the FLOPs counts.
INPUT_SHAPE = (1, 28, 28)


def _masks(classifier: nn.Module) -> Dict[str, nn.Module]:
    from mmdccd.models.pruning.complexity import MASK_KEY
    masks = getattr(classifier.backbone, MASK_KEY, None)
    if masks is None:
        raise ValueError(
            f'{type(classifier.backbone).__name__} has no PDD masks: a PDD '
            'setting needs a Prunable* backbone built with use_masks=True.')
    return dict(masks.items())


def mask_state(classifier: nn.Module) -> Dict:
    """The masks' closed fraction (gate 0, ``m < 0``) overall and per group,
    and a checksum of their values (equal masks, equal checksums)."""
    masks = _masks(classifier)
    values = torch.cat([m.m.detach().float().cpu() for m in masks.values()])
    closed = {
        name: float((mask.m.detach() < 0).float().mean())
        for name, mask in masks.items()
    }
    return dict(
        channels=int(values.numel()),
        closed_fraction=float((values < 0).float().mean()),
        closed_per_group=closed,
        checksum=hashlib.sha256(values.numpy().tobytes()).hexdigest()[:16])


class MaskProbe(Hook):
    """Record the student's PDD masks before the first iteration and keep
    the runner for :func:`measure`."""

    priority = 'LOW'

    def __init__(self) -> None:
        self.initial = None
        self.runner = None

    def before_train(self, runner) -> None:
        self.initial = mask_state(classifier_of(runner.model))

    def after_train(self, runner) -> None:
        self.runner = runner


@torch.no_grad()
def top1(model: nn.Module,
         dataloader: Iterable,
         preprocessor: Optional[nn.Module] = None) -> float:
    """Top-1 (%) of ``model`` (a classifier or an mmrazor algorithm, whose
    student predicts) in eval mode; its training mode is restored.

    Args:
        model (nn.Module): What predicts.
        dataloader (Iterable): Single-view batches (val or test).
        preprocessor (nn.Module, optional): The data preprocessor to use.
            Defaults to None (``model.data_preprocessor``).
    """
    classifier = classifier_of(model)
    preprocessor = preprocessor or model.data_preprocessor
    was_training = model.training
    model.eval()
    correct = total = 0
    try:
        for data in dataloader:
            data = preprocessor(data, False)
            logits = classifier(data['inputs'], mode='tensor')
            labels = torch.cat(
                [s.gt_label for s in data['data_samples']]).to(logits.device)
            correct += int((logits.argmax(dim=1) == labels).sum())
            total += len(labels)
    finally:
        model.train(was_training)
    return 100.0 * correct / total


def matched_pruning(model: nn.Module, loaders: Dict[str, Iterable],
                    fractions: Sequence[float] = MATCHED_FRACTIONS
                    ) -> List[Dict]:
    """Top-1 of the masked student with the same number of channels closed
    in every arm: for each fraction ``f`` of all channels, the ``f`` lowest
    mask values ``m`` (over every group) closed, the others opened, no
    retraining. The masks are restored afterwards.

    Returns:
        list[dict]: ``fraction``, ``channels_removed`` and ``<split>_top1``
        for every loader.
    """
    masks = _masks(classifier_of(model))
    saved = {name: mask.m.detach().clone() for name, mask in masks.items()}
    values = torch.cat(list(saved.values()))
    order = torch.argsort(values, stable=True)  # lowest m first
    rows = []
    try:
        for f in fractions:
            k = int(round(f * len(values)))
            closed = torch.zeros(len(values), dtype=torch.bool)
            closed[order[:k]] = True
            start = 0
            for name, mask in masks.items():
                n = mask.m.numel()
                part = closed[start:start + n]
                with torch.no_grad():
                    # gate 1 for m >= 0, 0 for m < 0 (ApproxSign)
                    mask.m.copy_(torch.where(part, -1.0, 1.0))
                start += n
            row = dict(fraction=f, channels_removed=k)
            for split, loader in loaders.items():
                row[f'{split}_top1'] = top1(model, loader)
            rows.append(row)
    finally:
        with torch.no_grad():
            for name, mask in masks.items():
                mask.m.copy_(saved[name])
    return rows


def prune(model: nn.Module, cfg) -> Tuple[nn.Module, Dict, Dict]:
    """Remove the closed channels of the study's masked student.

    Returns:
        tuple: the pruned ``ImageClassifier``, its config, and
        :func:`~mmdccd.models.pruning.complexity_report` (parameters and
        FLOPs before and after at :data:`INPUT_SHAPE`) with the kept
        ``group_widths``.
    """
    from mmpretrain.registry import MODELS

    from mmdccd.models.pruning import complexity_report, prune_classifier
    student_cfg = copy.deepcopy(cfg.model.architecture.to_dict())
    student_cfg.pop('data_preprocessor', None)
    # a clean copy: the trained student carries the distiller's recorder
    # hooks (and the tensors they hold), which cannot be deep-copied
    student = MODELS.build(student_cfg)
    student.load_state_dict(classifier_of(model).state_dict())
    student.eval()
    pruned, widths, pruned_cfg = prune_classifier(student, student_cfg)
    report = complexity_report(student, pruned, input_shape=INPUT_SHAPE)
    report['group_widths'] = widths
    return pruned, pruned_cfg, report


@torch.no_grad()
def max_output_difference(model: nn.Module, pruned: nn.Module,
                          dataloader: Iterable) -> Tuple[float, float]:
    """Largest absolute logit difference of the masked and the pruned
    student on the first batch, both in eval mode, and the largest absolute
    logit (float32 rounding is relative to it)."""
    data = model.data_preprocessor(next(iter(dataloader)), False)
    student = classifier_of(model)
    modes = student.training, pruned.training
    student.eval()
    pruned.eval()
    try:
        a = student(data['inputs'], mode='tensor')
        b = pruned(data['inputs'].to(next(pruned.parameters()).device),
                   mode='tensor')
    finally:
        student.train(modes[0])
        pruned.train(modes[1])
    return (float((a.float() - b.float()).abs().max()),
            float(a.float().abs().max()))


def finetune(pruned: nn.Module, pruned_cfg: Dict, out_dir: str, prep,
             quick: bool, student_config: str) -> Dict:
    """Fine-tune the pruned student with CE (the demo's ``student_config``
    recipe with the pruned network, :data:`FINETUNE_ITERS` iterations at lr
    :data:`FINETUNE_LR`), then evaluate val and test once.

    Returns:
        dict: :func:`mmdccd.experiments.demo.run`'s numbers.
    """
    from .demo import build_cfg, run
    ckpt = osp.join(out_dir, 'pruned_student.pth')
    torch.save(dict(state_dict=pruned.state_dict()), ckpt)
    cfg = build_cfg(student_config, prep.data_root,
                    osp.join(out_dir, 'finetune'), quick,
                    precision=prep.precision)
    for key in ('backbone', 'neck', 'head'):
        cfg.model[key] = pruned_cfg[key]
    cfg.load_from = ckpt
    cfg.optim_wrapper.optimizer.lr = FINETUNE_LR
    if not quick:
        cfg.train_cfg.max_iters = FINETUNE_ITERS
        cfg.train_cfg.val_interval = FINETUNE_ITERS
    result = run(cfg, 'fine-tune the pruned student')
    result.pop('checkpoint')
    return result


def measure(probe: MaskProbe, cfg, out_dir: str, prep, quick: bool,
            student_config: str) -> Dict:
    """Every PDD measurement of a finished run (the module docstring).

    Args:
        probe (MaskProbe): The run's probe (its runner and initial masks).
        cfg (Config): The run's config.
        out_dir (str): Where the pruned student and its fine-tuning go.
        prep (Prepared): The demo's data, precision and teacher.
        quick (bool): The demo's smoke-test budget.
        student_config (str): The demo config of the student alone, whose
            CE recipe fine-tunes the pruned student.

    Returns:
        dict: ``pdd``: the measurements.
    """
    runner = probe.runner
    model = runner.model
    loaders = dict(val=runner.val_dataloader, test=runner.test_dataloader)
    final = mask_state(classifier_of(model))
    masked = {f'{k}_top1': top1(model, loader) for k, loader in loaders.items()}
    pruned, pruned_cfg, complexity = prune(model, cfg)
    before = {
        f'{k}_top1': top1(pruned, loader, model.data_preprocessor)
        for k, loader in loaders.items()
    }
    diff, scale = max_output_difference(model, pruned, loaders['test'])
    matched = matched_pruning(model, loaders)
    tuned = finetune(pruned, pruned_cfg, out_dir, prep, quick,
                     student_config)
    return dict(
        initial_masks=probe.initial,
        final_masks=final,
        masked=masked,
        complexity=complexity,
        pruned_before_finetune=before,
        pruned_max_abs_logit_diff=diff,
        max_abs_logit=scale,
        finetune=dict(
            iters=FINETUNE_ITERS if not quick else cfg.train_cfg.max_iters,
            lr=FINETUNE_LR,
            val_top1=tuned['val_top1'],
            test_top1=tuned['test_top1'],
            train_time_s=tuned['train_time_s'],
            test_redundancy=tuned['test_redundancy']),
        matched_pruning=matched)


#: What the PDD tables show of a run: (key path in ``result['pdd']``,
#: label, scale to %, digits).
PDD_METRICS = (
    (('initial_masks', 'closed_fraction'), 'closed at init (%)', 100, 1),
    (('final_masks', 'closed_fraction'), 'closed at end (%)', 100, 1),
    (('complexity', 'params_removed'), 'params removed (%)', 100, 1),
    (('complexity', 'flops_removed'), 'MACs removed (%)', 100, 1),
    (('complexity', 'thop_flops_removed'), 'thop FLOPs removed (%)', 100, 1),
    (('masked', 'val_top1'), 'gated val top-1', 1, 2),
    (('masked', 'test_top1'), 'gated test top-1', 1, 2),
    (('pruned_before_finetune', 'test_top1'), 'pruned test top-1', 1, 2),
    (('finetune', 'val_top1'), 'fine-tuned val top-1', 1, 2),
    (('finetune', 'test_top1'), 'fine-tuned test top-1', 1, 2),
)


def pdd_value(result: Dict, path: Sequence) -> float:
    """``result['pdd'][path[0]][path[1]]...``, or a matched-pruning entry
    ``('matched', fraction, '<split>_top1')``."""
    pdd = result['pdd']
    if path[0] == 'matched':
        row = next(r for r in pdd['matched_pruning']
                   if abs(r['fraction'] - path[1]) < 1e-9)
        return float(row[path[2]])
    value = pdd
    for key in path:
        value = value[key]
    return float(value)


def _results(study_dir: str, name: str, seeds: Sequence[int]) -> List[Dict]:
    from .study import load_result
    return [
        r for r in (load_result(study_dir, name, k) for k in seeds) if r
    ]


def format_pdd(study_dir: str,
               arms: Sequence,
               seeds: Sequence[int],
               compared: Tuple[str, str],
               dense: Optional[Dict[str, str]] = None) -> str:
    """The PDD section of the study's report: per arm the masks, what was
    removed and the accuracy at every stage; the top-1 change (the pruned
    and fine-tuned student minus its dense reference, the paper's
    column); matched pruning; the redundancy question (``compared[0]``
    minus ``compared[1]``, each difference with its standard error,
    Welch) and whether the compared arms started from the same masks.

    Args:
        study_dir (str): The study's run cache.
        arms (Sequence[Setting]): The PDD settings (``pdd=True``).
        seeds (Sequence[int]): The seeds to read.
        compared (tuple[str, str]): The two arms of the question.
        dense (dict[str, str], optional): Each arm's dense reference
            setting (the same distillation without masks).

    Returns:
        str: Markdown.
    """
    from .results import format_mean_std
    from .study import _stats, compare, diff_cell, noise_verdict
    runs = {s.name: _results(study_dir, s.name, seeds) for s in arms}
    labels = {s.name: s.label for s in arms}

    def stats(name: str, path: Sequence, scale: float = 1) -> Dict:
        return _stats([scale * pdd_value(r, path) for r in runs[name]])

    lines = [
        '### PDD: masks, what was removed, accuracy at every stage\n',
        '| setting | seeds | ' + ' | '.join(m[1] for m in PDD_METRICS) +
        ' |', '| --- | ---: |' + ' ---: |' * len(PDD_METRICS)
    ]
    for name, rs in runs.items():
        lines.append(f'| {labels[name]} | {len(rs)} | ' + ' | '.join(
            format_mean_std(stats(name, path, scale), digits)
            for path, _, scale, digits in PDD_METRICS) + ' |')
    if dense:
        lines += [
            '\n### PDD: top-1 change, pruned and fine-tuned minus the dense '
            'student distilled the same way (test)\n',
            '| setting | fine-tuned | dense | change (SE) |',
            '| --- | ---: | ---: | ---: |'
        ]
        for name, reference in dense.items():
            tuned = stats(name, ('finetune', 'test_top1'))
            full = _stats([
                float(r['test_top1'])
                for r in _results(study_dir, reference, seeds)
            ])
            lines.append(f'| {labels[name]} | {format_mean_std(tuned)} | '
                         f'{format_mean_std(full)} | '
                         f'{diff_cell(compare(tuned, full))} |')
    fractions = [
        r['fraction']
        for r in next((rs[0]['pdd']['matched_pruning']
                       for rs in runs.values() if rs), [])
    ]
    lines += [
        '\n### PDD: matched pruning (the lowest mask values closed, no '
        'retraining), val / test top-1\n',
        '| setting | ' + ' | '.join(f'{100 * f:.0f} % removed'
                                    for f in fractions) + ' |',
        '| --- |' + ' ---: |' * len(fractions)
    ]
    for name in runs:
        lines.append(f'| {labels[name]} | ' + ' | '.join(
            format_mean_std(stats(name, ('matched', f, 'val_top1'))) +
            ' / ' + format_mean_std(stats(name, ('matched', f, 'test_top1')))
            for f in fractions) + ' |')

    a, b = compared
    questions = [(label, path, scale)
                 for path, label, scale, _ in PDD_METRICS[1:]] + [
                     (f'matched {100 * f:.0f} % removed, {split} top-1',
                      ('matched', f, f'{split}_top1'), 1)
                     for f in fractions for split in ('val', 'test')
                 ]
    lines += [
        f'\n### PDD: the redundancy question, {labels[a]} minus '
        f'{labels[b]}\n',
        '| measure | difference (SE) | beyond noise |',
        '| --- | ---: | :---: |'
    ]
    for label, path, scale in questions:
        c = compare(stats(a, path, scale), stats(b, path, scale))
        lines.append(f'| {label} | {diff_cell(c)} | {noise_verdict(c)} |')
    by_seed = {
        name: {r['seed']: r['pdd']['initial_masks']['checksum']
               for r in runs[name]}
        for name in compared
    }
    common = sorted(set(by_seed[a]) & set(by_seed[b]))
    same = [k for k in common if by_seed[a][k] == by_seed[b][k]]
    lines.append(f'\nThe two arms started from identical masks (iteration 0, '
                 f'checksum of every m) at {len(same)} of {len(common)} '
                 f'common seeds{"" if len(same) == len(common) else ": " + str(sorted(set(common) - set(same))) + " differ"}.')
    ft = next((r['pdd']['finetune'] for rs in runs.values() for r in rs),
              None)
    if ft is not None:
        lines.append(f'Fine-tuning: CE alone, {ft["iters"]} iterations at lr '
                     f'{ft["lr"]:g} (cosine), batch 128.')
    return '\n'.join(lines) + '\n'
