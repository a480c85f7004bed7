"""Views drawn in the data preprocessor: random crop with padding + flip,
vectorised over the batch, on the model's device."""
from typing import List, Sequence, Tuple, Union

import torch
import torch.nn.functional as F


class BatchRandomCropFlip:
    """``V`` views of every image of a batch in one indexing step.

    For in-memory array datasets (CIFAR, Fashion-MNIST) whose view pipeline
    is mmpretrain's ``RandomCrop(crop_size, padding=p)`` (constant padding
    with 0) followed by mmcv's ``RandomFlip(prob, direction='horizontal')``,
    the dataset packs each image once (``train_pipeline = [PackInputs]``) and
    this class draws every view here instead, with the same distribution,
    independently for each of the ``V * b`` rows:

    - the crop offsets ``o_h ~ U{0, ..., H + 2p - h}`` and
      ``o_w ~ U{0, ..., W + 2p - w}`` (``np.random.randint`` in
      ``RandomCrop.rand_crop_params``);
    - a horizontal flip with probability ``prob`` (``RandomFlip``).

    Row ``r`` of view ``v`` is then
    ``pad(x)[i, :, o_h + y, o_w + (w - 1 - x if flip else x)]`` for
    ``y < h``, ``x < w``: one advanced-indexing gather for all views, no
    loop over rows. Applied to the raw (uint8) pixels, before colour
    conversion and normalisation, as the per-sample transforms are.

    Args:
        crop_size (int | Sequence[int]): Output ``h`` (and ``w``); an int
            gives a square crop, as ``RandomCrop``'s.
        padding (int): Zero pixels added on each border before cropping.
            Defaults to 0.
        prob (float): Probability of a horizontal flip. Defaults to 0.5.
    """

    def __init__(self,
                 crop_size: Union[int, Sequence[int]],
                 padding: int = 0,
                 prob: float = 0.5) -> None:
        size = (crop_size, crop_size) if isinstance(crop_size,
                                                    int) else crop_size
        if len(size) != 2 or min(size) < 1:
            raise ValueError('crop_size must be a positive int or (h, w), '
                             f'got {crop_size!r}.')
        if not isinstance(padding, int) or padding < 0:
            raise ValueError('padding must be an int >= 0 (the same on every '
                             f'border), got {padding!r}.')
        if not 0.0 <= prob <= 1.0:
            raise ValueError(f'prob must be in [0, 1], got {prob}.')
        self.crop_size: Tuple[int, int] = (int(size[0]), int(size[1]))
        self.padding = padding
        self.prob = prob

    def max_offsets(self, height: int, width: int) -> Tuple[int, int]:
        """The largest crop offsets ``(H + 2p - h, W + 2p - w)``."""
        h, w = self.crop_size
        top, left = height + 2 * self.padding - h, width + 2 * self.padding - w
        if top < 0 or left < 0:
            raise ValueError(
                f'A crop of {self.crop_size} does not fit in images of '
                f'{(height, width)} padded by {self.padding}; lower crop_size '
                'or raise padding.')
        return top, left

    def draw(self, num_rows: int, height: int, width: int,
             device: torch.device) -> Tuple[torch.Tensor, ...]:
        """Independent crop offsets and flips of ``num_rows`` rows.

        Returns:
            tuple[torch.Tensor]: ``offset_h`` and ``offset_w`` (int64) and
            ``flip`` (bool), each of shape ``(num_rows, )``.
        """
        top, left = self.max_offsets(height, width)
        offset_h = torch.randint(0, top + 1, (num_rows, ), device=device)
        offset_w = torch.randint(0, left + 1, (num_rows, ), device=device)
        flip = torch.rand(num_rows, device=device) < self.prob
        return offset_h, offset_w, flip

    def crop_flip(self, images: torch.Tensor, source: torch.Tensor,
                  offset_h: torch.Tensor, offset_w: torch.Tensor,
                  flip: torch.Tensor) -> torch.Tensor:
        """Crop and flip given draws.

        Args:
            images (torch.Tensor): ``(b, C, H, W)``.
            source (torch.Tensor): ``(N, )`` image index of each output row.
            offset_h (torch.Tensor): ``(N, )`` top offsets in the padded
                image.
            offset_w (torch.Tensor): ``(N, )`` left offsets.
            flip (torch.Tensor): ``(N, )`` whether the row is flipped.

        Returns:
            torch.Tensor: ``(N, C, h, w)``, of the dtype of ``images``.
        """
        p = self.padding
        padded = F.pad(images, (p, p, p, p)) if p else images
        h, w = self.crop_size
        device = images.device
        ys = offset_h[:, None] + torch.arange(h, device=device)
        xs = torch.arange(w, device=device).expand(len(flip), w)
        xs = torch.where(flip[:, None], w - 1 - xs, xs) + offset_w[:, None]
        channels = torch.arange(images.shape[1], device=device)
        return padded[source[:, None, None, None], channels[None, :, None,
                                                            None],
                      ys[:, None, :, None], xs[:, None, None, :]]

    def __call__(self,
                 inputs: Union[torch.Tensor, Sequence[torch.Tensor]],
                 num_views: int = 2) -> List[torch.Tensor]:
        """Draw ``num_views`` views of every image.

        Args:
            inputs (torch.Tensor | Sequence[torch.Tensor]): A batch
                ``(b, C, H, W)`` (``default_collate``) or ``b`` images
                ``(C, H, W)`` of one size (``pseudo_collate``).
            num_views (int): Views ``V`` an image. Defaults to 2.

        Returns:
            list[torch.Tensor]: ``V`` batches of shape ``(b, C, h, w)``.
        """
        images = inputs if isinstance(inputs, torch.Tensor) else \
            torch.stack(list(inputs))
        if images.dim() != 4:
            raise ValueError('Expected a batch of images (b, C, H, W), got '
                             f'shape {tuple(images.shape)}.')
        b, _, height, width = images.shape
        draws = self.draw(num_views * b, height, width, images.device)
        source = torch.arange(b, device=images.device).repeat(num_views)
        return list(self.crop_flip(images, source, *draws).split(b))

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(crop_size={self.crop_size}, '
                f'padding={self.padding}, prob={self.prob})')

