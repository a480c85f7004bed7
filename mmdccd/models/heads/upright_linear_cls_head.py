"""A linear classification head whose hard-label loss sees upright rows only
(DCCD*, the rotation augmentation of SSKD)."""
from typing import List, Tuple

import torch
from mmpretrain.models.heads import LinearClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

HARD_LABEL_ROWS = ('upright', 'all')


def upright_row_weights(data_samples: List[DataSample],
                        rotation_key: str = 'rotate90_k') -> torch.Tensor:
    """Per-row weights that turn a mean over all ``N`` rows into the mean
    over the ``n`` upright rows.

    A row is upright when its data sample's ``rotation_key`` is 0 or absent.
    Upright rows get ``N / n`` and rotated rows 0, so
    ``sum_r w_r * l_r / N = sum_{r upright} l_r / n``; with no upright row
    every weight is 0 and the loss is 0 (not 0 / 0).

    Args:
        data_samples (list[DataSample]): One sample a row.
        rotation_key (str): Field holding the row's quarter turns.
            Defaults to ``'rotate90_k'``.

    Returns:
        torch.Tensor: Shape ``(N, )``, float32.
    """
    upright = torch.tensor(
        [int(sample.get(rotation_key, 0)) == 0 for sample in data_samples],
        dtype=torch.float32)
    count = upright.sum()
    if count == 0:
        return upright
    return upright * (len(data_samples) / count)


@MODELS.register_module()
class UprightLinearClsHead(LinearClsHead):
    """``LinearClsHead`` whose hard-label loss is the mean over the rows
    that were not rotated (DCCD*).

    The paper's DCCD* adds SSKD's rotation augmentation without giving the
    wiring. SSKD (Xu et al., ECCV 2020) trains the classifier with hard
    labels on upright images only and transfers the teacher's responses on
    the rotated copies. With ``hard_label_rows='upright'`` this head does
    the same: its CE (or any mmpretrain loss taking ``weight``) is averaged
    over the rows whose data sample has ``rotate90_k == 0`` and is 0 for a
    batch without one, while the distillation terms (KD, DKD, CCD) still use
    every row. ``hard_label_rows='all'`` is the plain ``LinearClsHead`` (CE
    on every row, rotated or not). The flag comes from
    :class:`~mmdccd.datasets.transforms.RandomRotate90` through ``DualView``
    (``view_keys``), ``PackInputs`` (``algorithm_keys``) and
    :class:`~mmdccd.models.MultiViewClsDataPreprocessor` (``view_keys``).
    Prediction is unchanged.

    Args:
        hard_label_rows (str): ``'upright'`` or ``'all'``. Defaults to
            ``'upright'``.
        rotation_key (str): Data-sample field holding the quarter turns.
            Defaults to ``'rotate90_k'``.
        **kwargs: Arguments of ``LinearClsHead`` (``num_classes``,
            ``in_channels``, ``loss``, ``topk``...).
    """

    def __init__(self,
                 hard_label_rows: str = 'upright',
                 rotation_key: str = 'rotate90_k',
                 **kwargs) -> None:
        if hard_label_rows not in HARD_LABEL_ROWS:
            raise ValueError(f'hard_label_rows must be one of '
                             f'{HARD_LABEL_ROWS}, got {hard_label_rows!r}.')
        super().__init__(**kwargs)
        self.hard_label_rows = hard_label_rows
        self.rotation_key = rotation_key

    def loss(self, feats: Tuple[torch.Tensor], data_samples: List[DataSample],
             **kwargs) -> dict:
        """The hard-label loss, over upright rows unless ``'all'``.

        Args:
            feats (tuple[torch.Tensor]): Features; the last is
                ``(N, in_channels)``.
            data_samples (list[DataSample]): ``N`` samples with ``gt_label``
                (or ``gt_score``) and, for rotated rows, ``rotate90_k``.
            **kwargs: Other arguments of the loss module.

        Returns:
            dict[str, torch.Tensor]: ``loss`` and the accuracies (those over
            all rows).
        """
        if self.hard_label_rows == 'upright':
            kwargs['weight'] = upright_row_weights(
                data_samples, self.rotation_key).to(feats[-1].device)
        return super().loss(feats, data_samples, **kwargs)
