"""Small generated Fashion-MNIST in the real IDX format, for tool tests."""
import os
import os.path as osp

import numpy as np

from tests.test_datasets.writers import write_idx


def write_fashion_mnist(root: str, num_train: int = 240, num_test: int = 60,
                        seed: int = 0) -> str:
    """Write the four gzipped IDX files; class ``c`` images are noise around
    the grey level ``20 * c``, so the classes are learnable.

    Returns:
        str: ``root``.
    """
    os.makedirs(root, exist_ok=True)
    rng = np.random.default_rng(seed)
    for prefix, n in (('train', num_train), ('t10k', num_test)):
        labels = np.arange(n) % 10
        rng.shuffle(labels)
        imgs = rng.integers(0, 60, size=(n, 28, 28)) + 20 * labels[:, None,
                                                                    None]
        write_idx(osp.join(root, f'{prefix}-images-idx3-ubyte'),
                  imgs.astype(np.uint8), gzipped=True)
        write_idx(osp.join(root, f'{prefix}-labels-idx1-ubyte'),
                  labels.astype(np.uint8), gzipped=True)
    return root
