"""Predicting a full run's wall time from short Runner epochs: the
generated files' format and the prediction's arithmetic on the CPU; the
Runner on generated CIFAR-100 data with the fast path and CUDA graphs on a
GPU (a CPU run takes minutes here)."""
import os.path as osp
import pickle

import pytest

from mmdccd.experiments.run_time import (compile_options, predict_run_time,
                                         predicted_seconds,
                                         write_cifar100_like)


def test_generated_files_have_cifar100_format(tmp_path):
    root = write_cifar100_like(str(tmp_path), sizes=(6, 4))
    with open(osp.join(root, 'cifar-100-python', 'train'), 'rb') as f:
        train = pickle.load(f, encoding='latin1')
    assert train['data'].shape == (6, 3072)
    assert train['data'].dtype.name == 'uint8'
    assert train['fine_labels'] == [0, 1, 2, 3, 4, 5]
    assert compile_options('cpu') is None


def test_prediction_scales_the_timed_epochs():
    # the first epoch (compilation, graph capture) is left out; 240 epochs
    # of 782 iterations at 0.01 s, validation 2 s on 1/4 of the test split
    out = predicted_seconds([9.0, 1.0, 1.2], [100, 100, 100],
                            [5.0, 0.5, 0.5], 240, 782, val_scale=4.0)
    assert out['sec_per_iter'] == pytest.approx(0.011)
    assert out['val_sec'] == pytest.approx(2.0)
    assert out['predicted_sec'] == pytest.approx(240 * (782 * 0.011 + 2.0))


@pytest.mark.cuda
def test_gpu_run_with_cuda_graphs(tmp_path):
    out = predict_run_time(str(tmp_path), epochs=2, iters_per_epoch=50)
    assert out['iters'] == [50, 50] and len(out['val']) == 2
    assert (out['full_epochs'], out['full_iters_per_epoch']) == (240, 782)
    assert out['compile'] in (dict(mode='reduce-overhead'),
                              dict(backend='cudagraphs'))
    assert out['predicted_sec'] > 0
