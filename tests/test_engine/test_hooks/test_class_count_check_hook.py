"""A num_classes that does not match the data is refused before the first
iteration (the image-folder recipe on a 3-class folder, both steps), with
the counts, where each comes from and the override that fixes it; that
override trains. Unlabelled splits and feature-only pairs stay legal."""
import glob
import os.path as osp
import re

import numpy as np
import pytest

from mmdccd.datasets import STL10, LocalCIFAR100
from mmdccd.engine.hooks.class_count_check_hook import dataset_class_count
from tests.test_datasets.writers import write_cifar100, write_stl10
from tests.utils import (REPO_ROOT, config_path, data_root_options,
                         forget_run_loggers, load_tool, make_image_folder)

train_tool = load_tool('train.py')

#: What the image-folder recipe needs to build on this CPU without
#: downloads (no ImageNet weights, no teacher checkpoint) nor workers.
RECIPE_OPTIONS = [
    'train_dataloader.num_workers=0',
    'val_dataloader.num_workers=0', 'train_dataloader.persistent_workers=0',
    'val_dataloader.persistent_workers=0'
]


@pytest.fixture(scope='module')
def three_classes(tmp_path_factory):
    return make_image_folder(
        str(tmp_path_factory.mktemp('three_classes')), ('a', 'b', 'c'),
        num_train=2, num_val=2)


def train(config, work_dir, options):
    try:
        train_tool.main([config, '--work-dir', work_dir, '--cfg-options',
                         *options])
    finally:  # the next run logs into its own work dir, even in this second
        forget_run_loggers()


def log_text(work_dir):
    (log, ) = glob.glob(osp.join(work_dir, '*', '*.log'))
    with open(log) as f:
        return f.read()


@pytest.mark.parametrize('config, weights, found, fix', [
    ('r50-tv_folder_finetune.py', 'model.init_cfg=None',
     'the classifier has 10 (model.fc.out_features); the data preprocessor '
     'has 10 (data_preprocessor.num_classes)',
     'model.num_classes=3 data_preprocessor.num_classes=3'),
    ('r50-tv_mv2_folder.py', 'model.teacher_ckpt=None',
     'the student has 10 (head.num_classes); the teacher (logit terms) has '
     '10 (model.fc.out_features); the data preprocessor has 10 '
     '(data_preprocessor.num_classes)',
     'model.architecture.head.num_classes=3 model.teacher.num_classes=3 '
     'data_preprocessor.num_classes=3'),
])
def test_image_folder_recipe_refuses_a_wrong_num_classes(
        three_classes, tmp_path, config, weights, found, fix):
    work_dir = str(tmp_path)
    with pytest.raises(ValueError) as error:
        train(osp.join(REPO_ROOT, 'configs', 'any_pair', config), work_dir, [
            *RECIPE_OPTIONS, weights,
            *data_root_options(three_classes)[:2]
        ])
    assert str(error.value) == (
        'the training set has 3 classes (CustomDataset, the class folders '
        f'of {three_classes}/train), but {found}. Expected the same number '
        'of classes everywhere: set it to 3 with --cfg-options '
        f'{fix} (or the config\'s num_classes), or point the dataset at '
        'data with 10 classes.')
    assert not glob.glob(osp.join(work_dir, '*.pth'))  # nothing trained


def test_the_suggested_override_trains(three_classes, tmp_path):
    options = [*data_root_options(three_classes), 'train_cfg.max_iters=1']
    with pytest.raises(ValueError) as error:
        train(config_path('tiny_dccd.py'), str(tmp_path / 'refused'),
              options)
    fix = re.search(r'--cfg-options (.*) \(or', str(error.value)).group(1)
    assert fix == ('model.architecture.head.num_classes=3 '
                   'model.teacher.head.num_classes=3 '
                   'data_preprocessor.num_classes=3')
    work_dir = str(tmp_path / 'fixed')
    train(config_path('tiny_dccd.py'), work_dir, options + fix.split())
    log = log_text(work_dir)
    assert 'training set: 3 classes (CustomDataset, the class folders of ' \
        f'{three_classes}/train), as the model' in log
    assert osp.isfile(osp.join(work_dir, 'iter_1.pth'))


TEACHERS = {
    'torchvision': "dict(type='TorchvisionClassifier', "
    "model_name='resnet18', num_classes={classes})",
    'timm': "dict(type='TimmClassifier', model_name='resnet18', "
    'num_classes={classes})',
}


def library_teacher_config(tmp_path, library, classes, terms):
    """tiny_dccd.py with a timm or torchvision ResNet-18 teacher."""
    path = tmp_path / f'{library}_teacher.py'
    path.write_text(
        f"_base_ = [{config_path('tiny_dccd.py')!r}]\n"
        'model = dict(\n'
        f"    teacher=dict(_delete_=True, _scope_='mmpretrain', "
        f'**{TEACHERS[library].format(classes=classes)}),\n'
        f'    teacher_feat_dim=512, terms={terms!r})\n')
    return str(path)


@pytest.mark.parametrize('library', ['torchvision', 'timm'])
def test_teacher_of_each_library_is_evaluated_on_the_first_screen(
        image_folder, tmp_path, library):
    work_dir = str(tmp_path / 'run')
    config = library_teacher_config(tmp_path, library, 2,
                                    ('kd', 'dkd', 'ccd'))
    train(config, work_dir,
          [*data_root_options(image_folder), 'train_cfg.max_iters=1'])
    log = log_text(work_dir)
    before = re.search(r'teacher on the validation set before training: '
                       r'teacher.accuracy/top1: (\d+\.\d+)', log)
    assert before, log[-3000:]
    assert log.index(before.group(0)) < log.index('Iter(train) [1/1]')


def test_feature_only_pair_of_other_classes_trains_and_says_why(
        image_folder, tmp_path):
    work_dir = str(tmp_path / 'run')
    config = library_teacher_config(tmp_path, 'torchvision', 5, ('ccd', ))
    train(config, work_dir,
          [*data_root_options(image_folder), 'train_cfg.max_iters=1'])
    log = log_text(work_dir)
    assert 'the teacher is not evaluated before training: it predicts 5 ' \
        'classes (teacher.model.fc.out_features) and the validation set ' \
        'has 2' in log
    assert osp.isfile(osp.join(work_dir, 'iter_1.pth'))


def test_dataset_class_counts(tmp_path):
    images = np.zeros((2, 32, 32, 3), np.uint8)
    root = write_cifar100(str(tmp_path / 'cifar'), images, [0, 1], images,
                          [1, 0], [f'c{i}' for i in range(100)])
    cifar = LocalCIFAR100(data_root=root, verify_md5=False)
    assert dataset_class_count(cifar) == (
        100, f'LocalCIFAR100, the CIFAR meta file in {root}')
    stl = write_stl10(str(tmp_path / 'stl'),
                      {'unlabeled': np.zeros((2, 96, 96, 3), np.uint8)}, {},
                      class_names=[f'c{i}' for i in range(10)])
    unlabelled = STL10(data_root=stl, split='unlabeled')
    assert dataset_class_count(unlabelled) == (None,
                                               'STL10 is unlabelled')
