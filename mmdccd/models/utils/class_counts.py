"""How many classes a classifier predicts and a dataset holds, whatever
library built them; and the check that KD-style terms compare the same
classes.

One helper, :func:`class_count`, answers for every classifier mmdccd
builds: mmpretrain's ``ImageClassifier`` (``head.num_classes``), timm
through ``TimmClassifier`` (the timm model's ``num_classes``), torchvision
through ``TorchvisionClassifier`` and any other classifier (the
``out_features`` of its logits module, the last linear layer). The build-time
check of logit terms (:func:`check_logit_classes`), the start-of-training
check against the data (:class:`~mmdccd.engine.hooks.ClassCountCheckHook`)
and the teacher's first-screen evaluation
(:class:`~mmdccd.engine.hooks.TeacherAccuracyHook`) all use it.
"""
from typing import Dict, List, NamedTuple, Optional

from mmengine.logging import print_log
from mmrazor.models.losses import DKDLoss, KLDivergence
from torch import nn

from ..losses.difference_kd_loss import DifferenceKDLoss
from ..losses.kd_loss import HintonKDLoss

#: Losses that compare class distributions: teacher and student need the
#: same classes.
LOGIT_LOSSES = (KLDivergence, HintonKDLoss, DKDLoss, DifferenceKDLoss)


class ClassCount(NamedTuple):
    """A class count and where it was read.

    Attributes:
        count (int, optional): The classes, None where unknown.
        source (str): The attribute it was read from
            (``'head.num_classes'``, ``'model.fc.out_features'``), or why
            there is none.
        cfg_key (str, optional): The key of the classifier's config that
            sets it (``'head.num_classes'``, ``'num_classes'``), None where
            no config key is known.
    """
    count: Optional[int]
    source: str
    cfg_key: Optional[str] = None


def _last_linear(module: nn.Module, prefix: str) -> Optional[ClassCount]:
    """The ``out_features`` of the last ``nn.Linear`` registered in
    ``module`` (a classifier's logits module), or None."""
    found = None
    for name, child in module.named_modules():
        if isinstance(child, nn.Linear):
            found = (name, child)
    if found is None:
        return None
    name, linear = found
    return ClassCount(linear.out_features,
                      f'{prefix}{name}.out_features'.replace('..', '.'))


def class_count(model: nn.Module) -> ClassCount:
    """The number of classes ``model`` predicts, and where it comes from.

    Args:
        model (nn.Module): A classifier: mmpretrain's ``ImageClassifier``,
            ``TimmClassifier``, ``TorchvisionClassifier`` or any module
            whose last linear layer gives the logits.

    Returns:
        ClassCount: ``count`` None (with the reason in ``source``) when the
        model says nothing about its classes.
    """
    head = getattr(model, 'head', None)
    if isinstance(head, nn.Module):
        count = getattr(head, 'num_classes', None)
        if isinstance(count, int) and count > 0:
            return ClassCount(count, 'head.num_classes', 'head.num_classes')
        return _last_linear(head, 'head.') or ClassCount(
            None, f'its head {type(head).__name__} has no num_classes and '
            'no linear layer')
    inner = getattr(model, 'model', None)  # timm / torchvision wrappers
    prefix = 'model.' if isinstance(inner, nn.Module) else ''
    inner = inner if isinstance(inner, nn.Module) else model
    count = getattr(inner, 'num_classes', None)
    if isinstance(count, int) and count > 0:  # timm (0: no classifier)
        return ClassCount(count, f'{prefix}num_classes', 'num_classes')
    found = _last_linear(inner, prefix)
    if found is not None:
        # a wrapped library model takes num_classes as a build argument
        return found._replace(cfg_key='num_classes' if prefix else None)
    return ClassCount(
        None, f'{type(model).__name__} has no head.num_classes, no '
        'num_classes and no linear layer')


def num_classes(model: nn.Module) -> Optional[int]:
    """The number of classes ``model`` predicts (:func:`class_count`), or
    None where it says nothing about them."""
    return class_count(model).count


def logit_terms(distill_losses: Dict[str, nn.Module]) -> List[str]:
    """The names of the distillation losses that compare class
    distributions (KD, DKD)."""
    return [
        name for name, loss in distill_losses.items()
        if isinstance(loss, LOGIT_LOSSES)
    ]


def check_logit_classes(student: nn.Module, teacher: nn.Module,
                        distill_losses: Dict[str, nn.Module]) -> None:
    """Refuse a logit loss (KD, DKD) between heads of different classes.

    Feature-only pairs (CCD, CRD), such as the cross-model transfer's
    200-class teacher and 10-class student, stay legal. Where a count is
    unknown, one log line says that the check could not run.

    Args:
        student (nn.Module): The student classifier.
        teacher (nn.Module): The teacher classifier.
        distill_losses (dict[str, nn.Module]): The distiller's losses.
    """
    terms = logit_terms(distill_losses)
    if not terms:
        return
    found_s, found_t = class_count(student), class_count(teacher)
    if found_s.count is None or found_t.count is None:
        unknown = [f'{who}: {found.source}'
                   for who, found in (('student', found_s),
                                      ('teacher', found_t))
                   if found.count is None]
        print_log(
            f'cannot check that the logit terms {terms} compare the same '
            f'classes ({"; ".join(unknown)})',
            logger='current')
        return
    if found_s.count != found_t.count:
        raise ValueError(
            f'the logit terms {terms} compare class distributions, '
            f'but the teacher has {found_t.count} classes and the student '
            f'{found_s.count} (read from teacher.{found_t.source} and '
            f'architecture.{found_s.source}). Give both the same number of '
            'classes, or use feature terms only (DCCD: terms=(\'ccd\',)).')
