"""torchvision classification models by name, as mmpretrain classifiers."""
from typing import Optional

from mmpretrain.models import TimmClassifier
from mmpretrain.models.classifiers import BaseClassifier
from mmpretrain.registry import MODELS
from torch import nn


@MODELS.register_module()
class TorchvisionClassifier(TimmClassifier):
    """A torchvision classification model by name, as an mmpretrain
    classifier (teacher or student of a distillation config).

    ``torchvision.models.get_model(model_name, weights=weights, **kwargs)``
    is kept as ``self.model``. Everything else is mmpretrain's
    :class:`TimmClassifier` (which this subclasses for it, without timm):
    cross-entropy training, prediction, and checkpoints in the wrapped
    library's own format, so a torchvision state dict
    (``resnet50-11ad3fa6.pth``: keys ``conv1.weight``, ...) loads as
    ``teacher_ckpt`` or ``load_from``, and saved weights load back into
    ``torchvision.models`` directly. Example::

        teacher = dict(type='TorchvisionClassifier', model_name='resnet50',
                       weights='IMAGENET1K_V2')

    Args:
        model_name (str): A name of ``torchvision.models.list_models(
            torchvision.models)``, e.g. ``'resnet50'``, ``'vit_b_16'``.
        weights (str, optional): A torchvision weights name
            (``'IMAGENET1K_V2'``, ``'DEFAULT'``), downloaded by torchvision.
            Defaults to None (random initialisation).
        loss (dict): The classification loss. Defaults to
            ``dict(type='CrossEntropyLoss', loss_weight=1.0)``.
        train_cfg (dict, optional): ``augments`` (batch augmentations), as
            in mmpretrain. Defaults to None.
        data_preprocessor (dict, optional): Defaults to None
            (``ClsDataPreprocessor``).
        init_cfg (dict, optional): Defaults to None (torchvision's own
            initialisation).
        **kwargs: Other arguments of the torchvision model builder
            (``num_classes``, ``dropout``, ...).
    """

    def __init__(self,
                 model_name: str,
                 weights: Optional[str] = None,
                 loss: dict = dict(type='CrossEntropyLoss', loss_weight=1.0),
                 train_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 **kwargs) -> None:
        import torchvision
        names = torchvision.models.list_models(torchvision.models)
        if model_name not in names:
            raise ValueError(
                f'expected a torchvision classification model name, got '
                f'{model_name!r}; choose one of {", ".join(names)}.')
        data_preprocessor = dict(data_preprocessor or {})
        data_preprocessor.setdefault('type', 'mmpretrain.ClsDataPreprocessor')
        if train_cfg is not None and 'augments' in train_cfg:
            data_preprocessor['batch_augments'] = train_cfg
        # TimmClassifier.__init__ would build a timm model: skip to its base
        BaseClassifier.__init__(
            self, init_cfg=init_cfg, data_preprocessor=data_preprocessor)
        self.model = torchvision.models.get_model(
            model_name, weights=weights, **kwargs)
        self.loss_module = loss if isinstance(loss, nn.Module) else \
            MODELS.build(loss)
        self.with_cp = False
        self._register_state_dict_hook(self._remove_state_dict_prefix)
        self._register_load_state_dict_pre_hook(self._add_state_dict_prefix)

    def extract_feat(self, inputs):
        """Not defined for torchvision models (they have no common
        feature/head split); DCCD records features with hooks instead."""
        raise NotImplementedError(
            'TorchvisionClassifier has no extract_feat: torchvision models '
            'share no feature/head split. Record a module with a recorder '
            '(tools/analysis_tools/list_modules.py lists them).')
