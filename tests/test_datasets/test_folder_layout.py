"""A folder dataset whose data_root does not exist says which layout goes
where (mmpretrain's own error is a bare FileNotFoundError)."""
import os.path as osp

import pytest
from mmpretrain.datasets import CustomDataset, ImageNet

import mmdccd  # noqa: F401
from tests.utils import REPO_ROOT, load_tool, make_image_folder


def test_missing_image_folder(tmp_path):
    root = str(tmp_path / 'my_dataset')
    with pytest.raises(FileNotFoundError) as info:
        CustomDataset(data_root=root, data_prefix='train')
    message = str(info.value)
    prefix = osp.join(root, 'train')
    assert message.startswith(
        f'CustomDataset expected an image folder at {prefix}, one '
        f'sub-folder per class holding its images ({prefix}/<class>/*.jpg;')
    assert f"set data_root (now {root!r}; in the config, or --cfg-options " \
        'train_dataloader.dataset.data_root=DIR' in message
    assert message.endswith('to the folder that holds train/.')


def test_missing_annotation_file(tmp_path):
    root = str(tmp_path / 'imagenet')
    with pytest.raises(FileNotFoundError, match=(
            rf'CustomDataset expected the annotation file '
            rf'{osp.join(root, "meta", "val.txt")}, one line "<image path '
            rf'under {osp.join(root, "val")}> <class index>" an image')):
        CustomDataset(
            data_root=root, data_prefix='val', ann_file='meta/val.txt')


def test_imagenet_without_its_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match=(
            r'ImageNet expected an image folder at .*imagenet/train, one '
            r'sub-folder per class')):
        ImageNet(data_root=str(tmp_path / 'imagenet'), split='train')


def test_present_folder_still_loads(tmp_path):
    root = make_image_folder(str(tmp_path / 'data'), num_train=2, num_val=1)
    dataset = CustomDataset(data_root=root, data_prefix='train')
    assert len(dataset) == 4 and dataset.CLASSES == ('cat', 'dog')


def test_readme_step_1_without_the_data(tmp_path, monkeypatch):
    """The user's path: README "Your own data", step 1, run before the
    images are in data/my_dataset."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    train = load_tool('train.py')
    with pytest.raises(FileNotFoundError, match=(
            r'CustomDataset expected an image folder at '
            r'data/my_dataset/train, one sub-folder per class')):
        train.main([
            osp.join(REPO_ROOT, 'configs/any_pair/r50-tv_folder_finetune.py')
        ])
