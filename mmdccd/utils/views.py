"""The view layout contract of mmdccd, written down once.

A batch of ``b`` images with ``V`` augmented views each is stacked
**view-major** into one batch of ``V * b`` rows: rows ``[0, b)`` are view 1 of
images ``0 .. b-1``, rows ``[b, 2b)`` are view 2 of the same images in the same
order, and so on. Every part that needs the views calls :func:`split_views`
(or :func:`stack_views` to build such a batch).
"""
from typing import Sequence, Tuple

import torch


def split_views(x: torch.Tensor,
                num_views: int = 2,
                min_rows: int = 1) -> Tuple[torch.Tensor, ...]:
    """Split a view-major stacked batch into its views.

    Args:
        x (torch.Tensor): Stacked batch of shape ``(V * b, ...)``.
        num_views (int): Number of views ``V``. Defaults to 2.
        min_rows (int): Fewest rows a view may have (2 where a per-channel
            batch statistic is taken). Defaults to 1.

    Returns:
        tuple[torch.Tensor]: ``V`` tensors of shape ``(b, ...)``, views
        (not copies) of ``x``.

    Raises:
        ValueError: If ``x`` does not split into ``num_views`` equal views of
            at least ``min_rows`` rows.
    """
    if num_views < 1:
        raise ValueError(f'num_views must be >= 1, got {num_views}.')
    rows = x.shape[0] if x.dim() > 0 else 0
    if rows % num_views != 0:
        raise ValueError(
            f'Expected a view-major stacked batch of {num_views} equal views, '
            f'but got {rows} rows (shape {tuple(x.shape)}), which is not a '
            f'multiple of {num_views}. Stack the views with '
            'mmdccd.utils.stack_views or the MultiViewClsDataPreprocessor.')
    per_view = rows // num_views
    if per_view < min_rows:
        raise ValueError(
            f'Each of the {num_views} views needs at least {min_rows} rows, '
            f'but the stacked batch of shape {tuple(x.shape)} gives '
            f'{per_view}. Use a batch size of at least {min_rows} images.')
    return tuple(x.split(per_view, dim=0))


def stack_views(views: Sequence[torch.Tensor]) -> torch.Tensor:
    """Stack ``V`` batches of ``b`` rows view-major into ``V * b`` rows.

    Args:
        views (Sequence[torch.Tensor]): ``V`` tensors of shape ``(b, ...)``.

    Returns:
        torch.Tensor: Shape ``(V * b, ...)``.
    """
    shapes = {tuple(v.shape) for v in views}
    if len(shapes) != 1:
        raise ValueError('All views must have the same shape to be stacked, '
                         f'got {sorted(shapes)}.')
    return torch.cat(list(views), dim=0)
