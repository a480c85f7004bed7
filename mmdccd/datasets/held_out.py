"""A validation subset held out from a training split, for choosing
hyper-parameters, masks or checkpoints without touching the test set.

``val_fraction`` of every class (rounded per class, a fixed permutation from
``seed``) is the ``'val'`` subset, the rest the ``'train'`` subset: with the
same seed the two are disjoint and together are the training split.
"""
import numpy as np

SUBSETS = ('all', 'train', 'val')


def check_held_out_args(split: str, subset: str, val_fraction: float) -> None:
    """Raise a ValueError for a ``subset`` that cannot be held out."""
    if subset not in SUBSETS:
        raise ValueError(f'subset must be one of {SUBSETS}, but got '
                         f'{subset!r}.')
    if subset != 'all' and (split != 'train' or not 0.0 < val_fraction < 1.0):
        raise ValueError(
            f"subset={subset!r} holds out part of the training split: it "
            "needs split='train' and 0 < val_fraction < 1, but got "
            f'split={split!r}, val_fraction={val_fraction}. Use '
            "subset='all' for the whole split.")


def held_out_indices(labels: np.ndarray, subset: str, val_fraction: float,
                     seed: int) -> np.ndarray:
    """Indices (in file order) of ``subset`` of a split with ``labels``.

    Args:
        labels (np.ndarray): ``(N, )`` class labels of the split.
        subset (str): ``'all'``, ``'train'`` or ``'val'``.
        val_fraction (float): Fraction of every class held out as ``'val'``.
        seed (int): Seed of the permutation that picks the held-out images.

    Returns:
        np.ndarray: Sorted indices into the split.
    """
    labels = np.asarray(labels)
    keep = np.arange(len(labels))
    if subset == 'all':
        return keep
    order = np.random.default_rng(seed).permutation(len(labels))
    held_out = np.zeros(len(labels), dtype=bool)
    for c in np.unique(labels):
        members = order[labels[order] == c]
        held_out[members[:int(round(val_fraction * len(members)))]] = True
    return keep[held_out if subset == 'val' else ~held_out]
