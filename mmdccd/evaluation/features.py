"""Pooled penultimate features of a classifier (or a distilled student)."""
from typing import Iterable, Optional

import torch
from mmengine.model import BaseModel, is_model_wrapper
from torch import Tensor


def classifier_of(model: BaseModel) -> BaseModel:
    """The classifier whose features are analysed: the student of an mmrazor
    distillation algorithm (``model.student``), else the model itself
    (model wrappers are unwrapped)."""
    if is_model_wrapper(model):
        model = model.module
    return getattr(model, 'student', model)


@torch.no_grad()
def extract_pooled_features(model: BaseModel,
                            dataloader: Iterable,
                            num_images: Optional[int] = None) -> Tensor:
    """Pooled penultimate features (the input of the linear head) of images.

    The batches go through ``model``'s data preprocessor (single-view
    batches, as validation and test loaders give) and the classifier's
    ``extract_feat`` (backbone + global pooling neck) in eval mode; the
    model's training mode is restored afterwards.

    Args:
        model (BaseModel): An mmpretrain ``ImageClassifier`` or an mmrazor
            algorithm holding one as ``student``.
        dataloader (Iterable): Yields mmengine data batches.
        num_images (int, optional): Stop after this many images. Defaults
            to None (all).

    Returns:
        Tensor: Shape ``(N, C)``, float32 on the CPU.
    """
    if is_model_wrapper(model):
        model = model.module
    classifier = classifier_of(model)
    was_training = model.training
    model.eval()
    chunks, count = [], 0
    try:
        for data in dataloader:
            inputs = model.data_preprocessor(data, False)['inputs']
            feats = classifier.extract_feat(inputs)
            if isinstance(feats, (tuple, list)):
                feats = feats[-1]
            if feats.dim() != 2:
                raise ValueError(
                    'expected pooled features of shape (b, C) from '
                    f'{type(classifier).__name__}.extract_feat, got '
                    f'{tuple(feats.shape)}; the classifier needs a global '
                    'pooling neck.')
            chunks.append(feats.float().cpu())
            count += feats.shape[0]
            if num_images is not None and count >= num_images:
                break
    finally:
        model.train(was_training)
    if not chunks:
        raise ValueError('the dataloader yielded no images.')
    feats = torch.cat(chunks)
    return feats if num_images is None else feats[:num_images]
