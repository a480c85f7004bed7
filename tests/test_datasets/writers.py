"""Writers of small data sets in their real on-disk formats.

Each writer follows the published format description, not mmdccd's readers,
so the dataset tests check the readers against an independent writer. Other
tests (configs that train on generated CIFAR / Tiny-ImageNet / STL-10 files)
can import them too.
"""
import gzip
import os
import os.path as osp
import struct
from typing import Dict, List, Optional, Sequence

import numpy as np

# --------------------------------------------------------------- CIFAR ----
# The official CIFAR "python version" files are python 2 cPickle dumps
# (protocol 2): dict keys and the array bytes are python 2 ``str``
# (SHORT_BINSTRING / BINSTRING opcodes), the array is rebuilt by
# ``numpy.core.multiarray._reconstruct``. Written here opcode by opcode.


def _py2_str(data: bytes) -> bytes:
    if len(data) < 256:
        return b'U' + bytes([len(data)]) + data
    return b'T' + struct.pack('<I', len(data)) + data


def _py2_int(value: int) -> bytes:
    if 0 <= value < 256:
        return b'K' + bytes([value])
    return b'J' + struct.pack('<i', value)


def _py2_obj(obj) -> bytes:
    if isinstance(obj, str):
        return _py2_str(obj.encode('latin1'))
    if isinstance(obj, bytes):
        return _py2_str(obj)
    if isinstance(obj, (int, np.integer)):
        return _py2_int(int(obj))
    if isinstance(obj, list):
        return b']' + b'(' + b''.join(_py2_obj(v) for v in obj) + b'e'
    if isinstance(obj, dict):
        items = b''.join(_py2_obj(k) + _py2_obj(v) for k, v in obj.items())
        return b'}' + b'(' + items + b'u'
    if isinstance(obj, np.ndarray):
        assert obj.dtype == np.uint8
        dtype = (b'cnumpy\ndtype\n' + b'(' + _py2_str(b'u1') + _py2_int(0) +
                 _py2_int(1) + b'tR' + b'(' + _py2_int(3) + _py2_str(b'|') +
                 b'NNN' + _py2_int(-1) + _py2_int(-1) + _py2_int(0) + b'tb')
        shape = b'(' + b''.join(_py2_int(s) for s in obj.shape) + b't'
        return (b'cnumpy.core.multiarray\n_reconstruct\n' + b'(' +
                b'cnumpy\nndarray\n' + b'(' + _py2_int(0) + b't' +
                _py2_str(b'b') + b'tR' + b'(' + _py2_int(1) + shape + dtype +
                b'\x89' + _py2_str(obj.tobytes(order='C')) + b'tb')
    raise TypeError(f'cannot write {type(obj)}')


def py2_pickle(obj: dict) -> bytes:
    """A python-2 cPickle protocol-2 dump of ``obj``."""
    return b'\x80\x02' + _py2_obj(obj) + b'.'


def cifar_rows(images: np.ndarray) -> np.ndarray:
    """``N x 32 x 32 x 3`` RGB -> the ``N x 3072`` CIFAR rows (R plane, G
    plane, B plane, each row-major), written element by element."""
    n = len(images)
    rows = np.zeros((n, 3072), dtype=np.uint8)
    for i in range(n):
        for c in range(3):
            for r in range(32):
                rows[i, c * 1024 + r * 32:c * 1024 + r * 32 + 32] = \
                    images[i, r, :, c]
    return rows


def write_cifar100(root: str, train: np.ndarray, train_labels: List[int],
                   test: np.ndarray, test_labels: List[int],
                   fine_names: Sequence[str]) -> str:
    """Write ``root/cifar-100-python/{train,test,meta}``; images are
    ``N x 32 x 32 x 3`` RGB uint8. Returns ``root``."""
    folder = osp.join(root, 'cifar-100-python')
    os.makedirs(folder, exist_ok=True)
    for name, imgs, labels in (('train', train, train_labels),
                               ('test', test, test_labels)):
        entry = {
            'filenames': [f'img_{i}.png' for i in range(len(imgs))],
            'batch_label': f'{name} batch',
            'fine_labels': list(labels),
            'coarse_labels': [label // 5 for label in labels],
            'data': cifar_rows(imgs),
        }
        with open(osp.join(folder, name), 'wb') as f:
            f.write(py2_pickle(entry))
    meta = {
        'fine_label_names': list(fine_names),
        'coarse_label_names': [f'super{i}' for i in range(20)]
    }
    with open(osp.join(folder, 'meta'), 'wb') as f:
        f.write(py2_pickle(meta))
    return root


def write_cifar10(root: str, batches: List[np.ndarray],
                  batch_labels: List[List[int]], test: np.ndarray,
                  test_labels: List[int]) -> str:
    """Write ``root/cifar-10-batches-py/`` (5 data batches, test batch,
    batches.meta). Returns ``root``."""
    assert len(batches) == 5
    folder = osp.join(root, 'cifar-10-batches-py')
    os.makedirs(folder, exist_ok=True)
    files = [(f'data_batch_{k + 1}', b, lab)
             for k, (b, lab) in enumerate(zip(batches, batch_labels))]
    files.append(('test_batch', test, test_labels))
    for name, imgs, labels in files:
        entry = {'batch_label': name, 'labels': list(labels),
                 'data': cifar_rows(imgs),
                 'filenames': [f'{i}.png' for i in range(len(imgs))]}
        with open(osp.join(folder, name), 'wb') as f:
            f.write(py2_pickle(entry))
    with open(osp.join(folder, 'batches.meta'), 'wb') as f:
        f.write(py2_pickle({'label_names': [f'c{i}' for i in range(10)],
                            'num_cases_per_batch': 2, 'num_vis': 3072}))
    return root


# ------------------------------------------------------------ IDX / MNIST --


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file: magic ``00 00 08 ndim``, big-endian sizes, uint8 data."""
    assert array.dtype == np.uint8
    header = bytes([0, 0, 0x08, array.ndim])
    header += b''.join(struct.pack('>I', s) for s in array.shape)
    return header + array.tobytes(order='C')


def write_idx(path: str, array: np.ndarray, gzipped: bool) -> str:
    """Write ``array`` as an IDX file (``path + '.gz'`` when gzipped)."""
    if gzipped:
        path += '.gz'
        with gzip.open(path, 'wb') as f:
            f.write(idx_bytes(array))
    else:
        with open(path, 'wb') as f:
            f.write(idx_bytes(array))
    return path


# ---------------------------------------------------------- Tiny-ImageNet --


def write_tiny_imagenet(root: str, wnids: Sequence[str],
                        colours: Dict[str, Sequence[int]], num_train: int,
                        val: Sequence[tuple], size: int = 64) -> str:
    """Write a tiny-imagenet-200 tree with flat-colour RGB JPEGs.

    Args:
        root (str): The tiny-imagenet-200 folder (created).
        wnids (Sequence[str]): Written to wnids.txt in this order.
        colours (dict): RGB colour of each wnid's images.
        num_train (int): Training images a wnid.
        val (Sequence[tuple]): ``(file name, wnid)`` of each val image.
        size (int): Image side. Defaults to 64.

    Returns:
        str: ``root``.
    """
    from PIL import Image

    def save(path, wnid):
        rgb = np.zeros((size, size, 3), np.uint8) + np.uint8(colours[wnid])
        Image.fromarray(rgb, 'RGB').save(path, 'JPEG', quality=95)

    os.makedirs(root, exist_ok=True)
    with open(osp.join(root, 'wnids.txt'), 'w') as f:
        f.write('\n'.join(wnids) + '\n')
    for wnid in wnids:
        folder = osp.join(root, 'train', wnid, 'images')
        os.makedirs(folder, exist_ok=True)
        boxes = []
        for k in range(num_train):
            save(osp.join(folder, f'{wnid}_{k}.JPEG'), wnid)
            boxes.append(f'{wnid}_{k}.JPEG\t0\t0\t{size - 1}\t{size - 1}')
        with open(osp.join(root, 'train', wnid, f'{wnid}_boxes.txt'),
                  'w') as f:
            f.write('\n'.join(boxes) + '\n')
    os.makedirs(osp.join(root, 'val', 'images'), exist_ok=True)
    lines = []
    for name, wnid in val:
        save(osp.join(root, 'val', 'images', name), wnid)
        lines.append(f'{name}\t{wnid}\t1\t2\t{size - 3}\t{size - 4}')
    with open(osp.join(root, 'val', 'val_annotations.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return root


# ----------------------------------------------------------------- STL-10 --


def stl10_image_bytes(img: np.ndarray) -> bytes:
    """One STL-10 image record: for each channel, the 96 x 96 plane in
    column-major (Fortran) order, i.e. byte ``c * 9216 + col * 96 + row``."""
    assert img.shape == (96, 96, 3) and img.dtype == np.uint8
    return b''.join(img[:, :, c].tobytes(order='F') for c in range(3))


def write_stl10(root: str,
                splits: Dict[str, np.ndarray],
                labels: Dict[str, Sequence[int]],
                class_names: Optional[Sequence[str]] = None) -> str:
    """Write ``root/stl10_binary/{split}_X.bin`` (images ``N x 96 x 96 x 3``
    RGB) and ``{split}_y.bin`` (labels 1..10, as in the file). Returns
    ``root``."""
    folder = osp.join(root, 'stl10_binary')
    os.makedirs(folder, exist_ok=True)
    for split, imgs in splits.items():
        with open(osp.join(folder, f'{split}_X.bin'), 'wb') as f:
            for img in imgs:
                f.write(stl10_image_bytes(img))
    for split, ys in labels.items():
        with open(osp.join(folder, f'{split}_y.bin'), 'wb') as f:
            f.write(bytes(ys))
    if class_names is not None:
        with open(osp.join(folder, 'class_names.txt'), 'w') as f:
            f.write('\n'.join(class_names) + '\n')
    return root
