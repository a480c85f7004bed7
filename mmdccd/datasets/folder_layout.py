"""What mmpretrain's folder datasets (``CustomDataset``, ``ImageNet``) expect
on disk, said before they fail on a ``data_root`` that does not exist.

mmpretrain lists ``data_root/data_prefix`` (or reads ``ann_file``) and, when
it is missing, stops on a bare ``FileNotFoundError: [Errno 2] No such file
or directory: 'data/my_dataset/train'``. :func:`check_folder_layout` raises
instead an error that says which layout goes where and how to point the
config at it, as the CIFAR, Tiny-ImageNet and STL-10 datasets do.
"""
import os.path as osp


def check_folder_layout(dataset) -> None:
    """Raise a FileNotFoundError describing the expected layout when the
    image folder or the annotation file of ``dataset`` is missing.

    Args:
        dataset (mmpretrain.datasets.CustomDataset): The dataset, before it
            loads its data list (``img_prefix``, ``ann_file`` and
            ``data_root`` set).

    Raises:
        FileNotFoundError: If ``ann_file`` or the image folder is missing.
    """
    name = type(dataset).__name__
    root = dataset.data_root or ''
    prefix = dataset.img_prefix
    where = (f'data_root (now {root!r}; in the config, or --cfg-options '
             'train_dataloader.dataset.data_root=DIR and the same for '
             'val_dataloader and test_dataloader)')
    if dataset.ann_file:
        if osp.isfile(dataset.ann_file):
            return
        raise FileNotFoundError(
            f'{name} expected the annotation file {dataset.ann_file}, one '
            f'line "<image path under {prefix}> <class index>" an image, but '
            'it does not exist. Put it there, or set ' + where + '.')
    if osp.isdir(prefix):
        return
    raise FileNotFoundError(
        f'{name} expected an image folder at {prefix}, one sub-folder per '
        f'class holding its images ({osp.join(prefix, "<class>", "*.jpg")};'
        ' the classes are the sub-folder names, sorted), but it does not '
        f'exist. Put the images there, or set {where} to the folder that '
        f'holds {osp.relpath(prefix, root) if root else prefix}/.')
