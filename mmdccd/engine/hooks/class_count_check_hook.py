"""Refuse a run whose classifier and data disagree on the number of
classes, before the first iteration."""
from typing import List, Optional, Tuple

import numpy as np
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS

from mmdccd.models.utils.class_counts import class_count, logit_terms


def dataset_class_count(dataset) -> Tuple[Optional[int], str]:
    """The number of classes of a labelled dataset and where it comes from.

    Args:
        dataset: An mmengine/mmpretrain dataset (or a dataset wrapper).

    Returns:
        tuple[int | None, str]: The count (None for an unlabelled split or
        a dataset without ``metainfo['classes']``) and a description of
        where it was read: the class folders of mmpretrain's
        ``CustomDataset``, CIFAR's meta file, or ``metainfo['classes']``.
    """
    name = type(dataset).__name__
    classes = (getattr(dataset, 'metainfo', None) or {}).get('classes')
    if not classes:
        return None, f'{name} has no metainfo classes'
    try:
        first = dataset.get_data_info(0) if len(dataset) else {}
    except (AttributeError, IndexError, NotImplementedError):
        first = {}
    label = first.get('gt_label')
    if label is None or (np.ndim(label) == 0 and int(label) < 0):
        # e.g. STL-10's unlabeled split (gt_label -1)
        return None, f'{name} is unlabelled'
    # mmengine joins data_prefix to data_root when it builds the dataset
    where = (getattr(dataset, 'data_prefix', None) or {}).get('img_path') \
        or getattr(dataset, 'data_root', '') or ''
    if name == 'CustomDataset' and not getattr(dataset, 'ann_file', ''):
        source = f'the class folders of {where or "its data_prefix"}'
    elif 'CIFAR' in name:
        source = f'the CIFAR meta file in {where or "its data_root"}'
    else:
        source = f"metainfo['classes']" + (f' of {where}' if where else '')
    return len(classes), f'{name}, {source}'


@HOOKS.register_module()
class ClassCountCheckHook(Hook):
    """Refuse to train when the classifier and the data disagree on the
    number of classes.

    Before the first iteration, the class count of the training and
    validation sets (class folders, CIFAR's meta file, ``metainfo``) is
    compared with

    - the student's (or the plain classifier's) head, read by
      :func:`~mmdccd.models.utils.class_count`: mmpretrain
      ``head.num_classes``, timm ``num_classes``, torchvision's logits
      layer;
    - the data preprocessor's ``num_classes`` (one-hot labels of batch
      augments), when set;
    - the teacher's, when the distillation has logit terms (KD, DKD) that
      use its classes. Feature-only pairs, such as the cross-model
      transfer's 200-class teacher and 10-class STL-10, stay legal.

    A difference raises :class:`ValueError` naming every count, where it
    comes from and the ``--cfg-options`` that fixes it. Unlabelled splits
    (STL-10's ``unlabeled``) and datasets without ``metainfo['classes']``
    are not checked. On by default in ``configs/_base_/default_runtime.py``.
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        loaders = [('training set', runner.train_dataloader)]
        if runner.val_loop is not None and hasattr(runner.val_loop,
                                                   'dataloader'):
            loaders.append(('validation set', runner.val_loop.dataloader))
        for what, loader in loaders:
            count, source = dataset_class_count(loader.dataset)
            if count is None:
                continue
            wrong = self._disagreeing(runner, model, count)
            if wrong:
                raise ValueError(self._message(what, count, source, wrong))
            print_log(
                f'{what}: {count} classes ({source}), as the model',
                logger='current')

    @staticmethod
    def _disagreeing(runner, model,
                     count: int) -> List[Tuple[str, int, str, str]]:
        """``(who, count, read from, config key)`` of every count of the
        model that differs from the data's ``count``."""
        model_cfg = runner.cfg.get('model', {}) if runner.cfg else {}
        distill = hasattr(model, 'teacher') and hasattr(model, 'student')
        networks = [('the student' if distill else 'the classifier',
                     model.student if distill else model,
                     'model.architecture.' if distill else 'model.')]
        if distill and logit_terms(
                getattr(model.distiller, 'distill_losses', {})):
            networks.append(('the teacher (logit terms)', model.teacher,
                             'model.teacher.'))
        wrong = []
        for who, network, prefix in networks:
            found = class_count(network)
            if found.count is not None and found.count != count:
                key = prefix + found.cfg_key if found.cfg_key else None
                wrong.append((who, found.count, found.source, key))
        preprocessor = getattr(model, 'data_preprocessor', None)
        pre_count = getattr(preprocessor, 'num_classes', None)
        if pre_count is not None and pre_count != count:
            key = ('model.data_preprocessor.num_classes'
                   if 'data_preprocessor' in model_cfg else
                   'data_preprocessor.num_classes')
            wrong.append(('the data preprocessor', pre_count,
                          'data_preprocessor.num_classes', key))
        return wrong

    @staticmethod
    def _message(what: str, count: int, source: str,
                 wrong: List[Tuple[str, int, str, str]]) -> str:
        found = '; '.join(f'{who} has {n} ({read})'
                          for who, n, read, _ in wrong)
        keys = [f'{key}={count}' for _, _, _, key in wrong if key]
        fix = (f'--cfg-options {" ".join(keys)} (or the config\'s '
               'num_classes)' if keys else 'the config\'s num_classes')
        return (f'the {what} has {count} classes ({source}), but {found}. '
                f'Expected the same number of classes everywhere: set it '
                f'to {count} with {fix}, or point the dataset at data with '
                f'{wrong[0][1]} classes.')
