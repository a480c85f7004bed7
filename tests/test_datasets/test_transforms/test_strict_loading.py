"""StrictLoadImageFromFile: a truncated JPEG (which OpenCV half-decodes
silently) or PNG in a folder dataset fails with an error naming the file,
with either image backend; complete images load as mmcv loads them."""
import os
import os.path as osp

import cv2
import mmcv
import numpy as np
import pytest
from mmcv.transforms import LoadImageFromFile
from mmpretrain.datasets import CustomDataset

import mmdccd  # noqa: F401
from mmdccd.datasets.transforms import StrictLoadImageFromFile


def write_image(path: str, fraction: float = 1.0) -> str:
    """A 32x32 noise image (JPEG or PNG by suffix), cut to ``fraction`` of
    its bytes."""
    image = np.random.default_rng(0).integers(
        0, 256, size=(32, 32, 3), dtype=np.uint8)
    ok, data = cv2.imencode(osp.splitext(path)[1], image)
    assert ok
    data = data.tobytes()
    with open(path, 'wb') as f:
        f.write(data[:int(len(data) * fraction)])
    return path


def test_opencv_decodes_a_truncated_jpeg_silently(tmp_path):
    # why the check exists
    path = write_image(str(tmp_path / 'cut.jpg'), fraction=0.7)
    with open(path, 'rb') as f:
        image = mmcv.imfrombytes(f.read(), backend='cv2')
    assert image is not None and image.shape == (32, 32, 3)


@pytest.mark.parametrize('backend', ['cv2', 'pillow'])
@pytest.mark.parametrize('suffix', ['.jpg', '.png'])
def test_truncated_image_names_the_file(tmp_path, backend, suffix):
    path = write_image(str(tmp_path / f'cut{suffix}'), fraction=0.7)
    load = StrictLoadImageFromFile(imdecode_backend=backend)
    with pytest.raises(ValueError) as error:
        load(dict(img_path=path))
    message = str(error.value)
    assert f'image {path} is truncated' in message
    assert ('JPEG end marker' if suffix == '.jpg' else 'IEND') in message


@pytest.mark.parametrize('backend', ['cv2', 'pillow'])
def test_complete_image_loads_as_mmcv_loads_it(tmp_path, backend):
    path = write_image(str(tmp_path / 'whole.jpg'))
    ours = StrictLoadImageFromFile(imdecode_backend=backend)(
        dict(img_path=path))
    theirs = LoadImageFromFile(imdecode_backend=backend)(dict(img_path=path))
    np.testing.assert_array_equal(ours['img'], theirs['img'])
    assert ours['img_shape'] == (32, 32)


def test_undecodable_file_names_the_file(tmp_path):
    path = str(tmp_path / 'noise.jpg')
    with open(path, 'wb') as f:
        f.write(b'not an image at all')
    with pytest.raises(ValueError, match=f'could not decode image {path}'):
        StrictLoadImageFromFile(imdecode_backend='pillow')(
            dict(img_path=path))


def test_folder_dataset_with_a_truncated_jpeg(tmp_path):
    for name, fraction in (('a', 1.0), ('b', 0.6)):
        os.makedirs(tmp_path / 'train' / name)
        write_image(str(tmp_path / 'train' / name / '0.jpg'), fraction)
    dataset = CustomDataset(
        data_root=str(tmp_path),
        data_prefix='train',
        pipeline=[dict(type='StrictLoadImageFromFile')])
    assert dataset[0]['img'].shape == (32, 32, 3)
    bad = osp.join(str(tmp_path), 'train', 'b', '0.jpg')
    with pytest.raises(ValueError, match=f'image {bad} is truncated'):
        dataset[1]
