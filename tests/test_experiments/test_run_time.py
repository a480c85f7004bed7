"""Predicting a full run's wall time from short Runner epochs: the
arithmetic of the prediction on the CPU (tiny generated CIFAR-100 files in
the real format, through the real loaders and hooks), and on CUDA the fast
path with CUDA graphs."""
import os.path as osp
import pickle

import pytest

from mmdccd.experiments.run_time import (compile_options, predict_run_time,
                                         write_cifar100_like)


def test_generated_files_have_cifar100_format(tmp_path):
    root = write_cifar100_like(str(tmp_path), sizes=(6, 4))
    with open(osp.join(root, 'cifar-100-python', 'train'), 'rb') as f:
        train = pickle.load(f, encoding='latin1')
    assert train['data'].shape == (6, 3072)
    assert train['data'].dtype.name == 'uint8'
    assert train['fine_labels'] == [0, 1, 2, 3, 4, 5]
    assert compile_options('cpu') is None


def test_prediction_scales_the_timed_epochs(tmp_path):
    out = predict_run_time(
        str(tmp_path), epochs=2, iters_per_epoch=2, device='cpu',
        sizes=(256, 64), num_workers=0)
    # 240 epochs of ceil(50000 / 64) = 782 iterations, the first epoch
    # untimed, validation scaled from 64 to 10,000 images
    assert (out['full_epochs'], out['full_iters_per_epoch']) == (240, 782)
    assert out['iters'] == [2, 2] and len(out['val']) == 2
    assert out['sec_per_iter'] == pytest.approx(out['train'][1] / 2)
    assert out['val_sec'] == pytest.approx(out['val'][1] * 10000 / 64)
    assert out['predicted_sec'] == pytest.approx(
        240 * (782 * out['sec_per_iter'] + out['val_sec']))


@pytest.mark.cuda
def test_gpu_run_with_cuda_graphs(tmp_path):
    out = predict_run_time(str(tmp_path), epochs=2, iters_per_epoch=50)
    assert out['compile'] in (dict(mode='reduce-overhead'),
                              dict(backend='cudagraphs'))
    assert out['predicted_sec'] > 0
