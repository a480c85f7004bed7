"""Load an image file, refusing one that was cut off."""
import os.path as osp
from typing import Optional

from mmcv.transforms import LoadImageFromFile
from mmpretrain.registry import TRANSFORMS

#: How far from the end the end marker of an image may lie (trailing bytes
#: that some encoders append).
TAIL_BYTES = 1024
JPEG_START, JPEG_END = b'\xff\xd8', b'\xff\xd9'
PNG_START, PNG_END = b'\x89PNG', b'IEND'


def truncation(filename: str) -> Optional[str]:
    """Why a local JPEG or PNG file is incomplete (its end marker is
    missing), or None when it is complete or of another kind.

    A JPEG ends with the EOI marker ``FF D9``, a PNG with its ``IEND``
    chunk; a file cut off mid-copy lacks them. OpenCV decodes such a JPEG
    partly, with only a warning on stderr, so the check reads the file's
    first and last bytes before decoding.
    """
    with open(filename, 'rb') as f:
        head = f.read(8)
        size = f.seek(0, 2)
        f.seek(max(size - TAIL_BYTES, 0))
        tail = f.read()
    if head.startswith(JPEG_START) and JPEG_END not in tail:
        return f'the JPEG end marker (FF D9) is missing ({size} bytes)'
    if head.startswith(PNG_START) and PNG_END not in tail:
        return f'the PNG IEND chunk is missing ({size} bytes)'
    return None


@TRANSFORMS.register_module()
class StrictLoadImageFromFile(LoadImageFromFile):
    """mmcv's ``LoadImageFromFile`` that refuses a truncated image.

    A truncated JPEG or PNG (a download or copy cut off) raises a
    ``ValueError`` naming the file, whichever ``imdecode_backend`` decodes
    it: OpenCV would otherwise decode it partly and silently, Pillow raise
    an error without the file name. Decoder errors also name the file.
    Files on non-local backends are only checked by the decoder.

    Args: those of :class:`mmcv.transforms.LoadImageFromFile`.
    """

    def transform(self, results: dict) -> Optional[dict]:
        """Check the file, then load it as ``LoadImageFromFile`` does.

        Args:
            results (dict): With ``img_path``.

        Returns:
            dict: With ``img``, ``img_shape`` and ``ori_shape``.
        """
        filename = results['img_path']
        if osp.isfile(filename):
            reason = truncation(filename)
            if reason is not None:
                raise ValueError(
                    f'image {filename} is truncated: {reason}. Copy or '
                    'download it again, or remove it from the dataset.')
        try:
            return super().transform(results)
        except Exception as e:  # noqa: BLE001 (re-raised with the file)
            raise ValueError(f'could not decode image {filename}: '
                             f'{type(e).__name__}: {e}') from e
