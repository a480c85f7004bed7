"""The DCCD distillation algorithm (paper eq. 14)."""
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import torch
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement
from mmrazor.models.algorithms.base import LossResults
from mmrazor.registry import MODELS

from mmdccd.utils import split_views
from mmdccd.utils.arguments import strict_arguments
from ..utils.feature_sources import SizeLike, find_feature_sources
from ..utils.teacher_input import TeacherInput
from .balanced_beta import BalancedBeta
from .frozen_teacher_distill import FrozenTeacherDistill

#: Total CCD weight times teacher width: beta = 25.6 / d (paper: 64 -> 0.4,
#: 128 -> 0.2, 256 -> 0.1).
BETA_TIMES_WIDTH = 25.6
DCCD_TERMS = ('kd', 'dkd', 'ccd')


def default_beta(teacher_feat_dim: int) -> float:
    """The paper's CCD weight for a teacher feature width ``d``: 25.6 / d."""
    return BETA_TIMES_WIDTH / teacher_feat_dim


class Term(NamedTuple):
    """One term of eq. (14) in the distiller: its loss config, the
    ``loss_forward_mappings`` entry and the connectors it adds."""
    loss: Dict
    mapping: Dict
    connectors: Dict


def feat_record(side: str, connector: Optional[Dict], in_channels: int,
                out_channels: int) -> Tuple[Dict, Dict]:
    """The pooled feature of one side for CCD, through its connector.

    Args:
        side (str): ``'student'`` or ``'teacher'``.
        connector (dict, optional): The side's transform; None records the
            feature as is.
        in_channels (int): The side's feature width.
        out_channels (int): The teacher width ``d`` the transform maps to.

    Returns:
        tuple[dict, dict]: The ``preds_S`` / ``preds_T`` record of the loss
        mapping, and the connectors to add: ``{'ccd_<side>': cfg}`` with the
        widths filled in, or ``{}`` without a connector.
    """
    record = dict(from_student=side == 'student', recorder='feat', data_idx=0)
    if connector is None:
        return record, {}
    name = f'ccd_{side}'
    record['connector'] = name
    return record, {
        name: dict(connector, in_channels=in_channels,
                   out_channels=out_channels)
    }


@MODELS.register_module()
@strict_arguments
class DCCD(FrozenTeacherDistill):
    r"""DCCD: difference-based channel contrastive distillation.

    Liu, Chen and Liu, "DCCD: Reducing Neural Network Redundancy via
    Distillation", IEEE TNNLS 35:10006-10017, 2024. The student minimises
    eq. (14):

    .. math::
        L = L_{CE} + \alpha (L_{KD} + L_{DKD}) + \beta L_{CCD}

    on a view-major batch of ``2b`` rows (two augmentations of ``b`` images,
    :mod:`mmdccd.utils.views`) that the student and the frozen teacher each
    see in ONE forward. :math:`L_{CE}` and :math:`L_{KD}` (Hinton KD,
    :math:`\tau^2`-scaled, mean over rows, :class:`HintonKDLoss`) use all
    ``2b`` rows; :math:`L_{DKD}` is :class:`DifferenceKDLoss` (eq. 7) and
    :math:`L_{CCD}` is :class:`ChannelContrastiveLoss` (eqs. 3-5) on the
    pooled penultimate features, the student's mapped by the connector
    :math:`M_s` (:class:`MLPConnector`) to the teacher width ``d``.
    The frozen teacher (and, with ``calculate_student_loss=False``, the
    student) runs in tensor mode, so no labels are needed then
    (:class:`FrozenTeacherDistill`).

    The distiller (recorders, connectors, losses) is built from the arguments
    below, so a config for a new teacher/student pair only names the two
    networks: feature widths and recorder sources left out are found by
    :func:`~mmdccd.models.utils.find_feature_sources` (one dry forward of
    each network at build time, in eval mode under ``torch.no_grad()``, for
    mmpretrain, timm and torchvision classifiers, ViTs included). Losses are
    logged as
    ``student.loss``, ``distill.loss_kd``, ``distill.loss_dkd`` and
    ``distill.loss_ccd``.

    Args:
        architecture (dict | BaseModel): The student classifier.
        teacher (dict | BaseModel): The teacher classifier. Frozen and kept
            in eval mode (BN and dropout) unless ``teacher_trainable``.
        student_feat_dim (int, optional): Width ``C_s`` of the student's
            pooled feature. Defaults to None (found).
        teacher_feat_dim (int, optional): Width ``d`` of the teacher's pooled
            feature. Defaults to None (found).
        alpha (float): Weight of :math:`L_{KD}` and :math:`L_{DKD}`.
            Defaults to 1.0.
        beta (float | str, optional): Weight of :math:`L_{CCD}`. Defaults to
            ``25.6 / teacher_feat_dim`` (the paper's rule). ``'balanced'``
            sets it from the loss values of the first ``balance_iters``
            iterations so that ``beta * L_CCD`` equals the mean of the other
            weighted terms, then fixes it (:mod:`.balanced_beta`, our reading
            of the paper's Sec. IV-A); it is logged as ``distill.beta``.
        balance_iters (int): Iterations of the ``'balanced'`` estimate.
            Defaults to 100.
        theta (float): Contrastive weight :math:`\theta` of eq. (4).
            Defaults to 2.0.
        tau (float): Temperature of KD and DKD. Defaults to 4.0.
        dkd_tau (float, optional): A temperature of DKD alone (fig. 9b's
            "higher temperature for DKD"). Defaults to None (``tau``).
        imitation_weight (float): Weight of the imitation term of eq. (4).
            Defaults to 1.0.
        terms (Sequence[str]): Distillation terms used, a subset of
            ``('kd', 'dkd', 'ccd')`` (Tables III and VIII). Defaults to all.
        dkd_distance (str): ``'kl'`` (eq. 7) or ``'mse'`` (fig. 9b).
            Defaults to ``'kl'``.
        connector (dict, optional): The student transform :math:`M_s`;
            ``in_channels``/``out_channels`` are filled in. None uses the
            student feature as is (then ``C_s`` must equal ``d``). Defaults
            to ``dict(type='MLPConnector', num_layers=2)``.
        teacher_connector (dict, optional): A teacher transform (Table V
            ablation only; the paper's choice is none). Defaults to None.
        student_feat_source (str, optional): Module whose input is the
            student's pooled feature. Defaults to None (found: ``'head.fc'``
            for an mmpretrain ``LinearClsHead``).
        teacher_feat_source (str, optional): Likewise for the teacher.
            Defaults to None (found).
        student_logits_source (str, optional): Module whose output is the
            student's logits. Defaults to None (found).
        teacher_logits_source (str, optional): Likewise for the teacher.
            Defaults to None (found).
        teacher_input_size (int | Sequence[int], optional): Resize the
            stacked rows to ``H`` or ``(H, W)`` inside the teacher's forward
            (:class:`~mmdccd.models.utils.TeacherInput`), for a teacher
            trained at another size than the student. Defaults to None.
        teacher_mean (Sequence[float], optional): The teacher's input mean
            (0-255 pixels) where it differs from the data preprocessor's;
            the rows are re-normalised for the teacher. Defaults to None.
        teacher_std (Sequence[float], optional): Likewise, its std.
            Defaults to None.
        gather_distributed (bool): CCD statistics over the global batch under
            DDP (see :class:`ChannelContrastiveLoss`). Defaults to False.
        num_views (int): Views per image. Defaults to 2.
        **kwargs: Other arguments of ``SingleTeacherDistill``
            (``teacher_ckpt``, ``calculate_student_loss``,
            ``data_preprocessor``, ...).
    """

    def __init__(self,
                 architecture: Union[BaseModel, Dict],
                 teacher: Union[BaseModel, Dict],
                 student_feat_dim: Optional[int] = None,
                 teacher_feat_dim: Optional[int] = None,
                 alpha: float = 1.0,
                 beta: Union[float, str, None] = None,
                 balance_iters: int = 100,
                 theta: float = 2.0,
                 tau: float = 4.0,
                 dkd_tau: Optional[float] = None,
                 imitation_weight: float = 1.0,
                 terms: Sequence[str] = DCCD_TERMS,
                 dkd_distance: str = 'kl',
                 connector: Optional[Dict] = dict(
                     type='MLPConnector', num_layers=2),
                 teacher_connector: Optional[Dict] = None,
                 student_feat_source: Optional[str] = None,
                 teacher_feat_source: Optional[str] = None,
                 student_logits_source: Optional[str] = None,
                 teacher_logits_source: Optional[str] = None,
                 teacher_input_size: Optional[SizeLike] = None,
                 teacher_mean: Optional[Sequence[float]] = None,
                 teacher_std: Optional[Sequence[float]] = None,
                 gather_distributed: bool = False,
                 num_views: int = 2,
                 **kwargs) -> None:
        unknown = set(terms) - set(DCCD_TERMS)
        if unknown or not terms:
            raise ValueError(f'terms must be a non-empty subset of '
                             f'{DCCD_TERMS}, got {tuple(terms)}.')
        if 'distiller' in kwargs:
            raise ValueError(
                'DCCD builds its distiller from its own arguments; use '
                'mmrazor SingleTeacherDistill to pass a distiller config.')
        # the student is built here as BaseAlgorithm would build it; the
        # teacher's sources are found on a copy (random state untouched)
        if isinstance(architecture, dict):
            architecture = MODELS.build(architecture)
        found = find_feature_sources(
            architecture, student_feat_source, student_logits_source,
            student_feat_dim, side='student')
        student_feat_source, student_logits_source, student_feat_dim = (
            found.feat_source, found.logits_source, found.feat_dim)
        found = find_feature_sources(
            teacher, teacher_feat_source, teacher_logits_source,
            teacher_feat_dim, teacher_input_size, 'teacher', MODELS.build)
        teacher_feat_source, teacher_logits_source, teacher_feat_dim = (
            found.feat_source, found.logits_source, found.feat_dim)
        if connector is None and 'ccd' in terms and \
                student_feat_dim != teacher_feat_dim:
            raise ValueError(
                f'Without a connector the student feature width '
                f'({student_feat_dim}) must equal the teacher width '
                f'({teacher_feat_dim}); set connector=dict(type='
                "'MLPConnector').")
        self.num_views = num_views
        self.terms = tuple(terms)
        if isinstance(beta, str) and beta != 'balanced':
            raise ValueError("beta must be a number, None (25.6 / d) or "
                             f"'balanced', got {beta!r}.")
        balanced = beta == 'balanced'
        if beta is None:
            beta = default_beta(teacher_feat_dim)
        # 'balanced': CCD is built unweighted and scaled in loss()
        self.beta = 1.0 if balanced else beta
        distiller = self._distiller_cfg(
            sources=dict(
                student_feat=student_feat_source,
                teacher_feat=teacher_feat_source,
                student_logits=student_logits_source,
                teacher_logits=teacher_logits_source),
            kd=dict(tau=tau, alpha=alpha),
            dkd=dict(
                tau=tau if dkd_tau is None else dkd_tau,
                distance=dkd_distance,
                alpha=alpha),
            ccd=dict(
                student_feat_dim=student_feat_dim,
                teacher_feat_dim=teacher_feat_dim,
                theta=theta,
                imitation_weight=imitation_weight,
                connector=connector,
                teacher_connector=teacher_connector,
                gather_distributed=gather_distributed))
        super().__init__(
            distiller=distiller,
            teacher=teacher,
            architecture=architecture,
            **kwargs)
        self.balanced_beta = BalancedBeta(balance_iters) if balanced and \
            'ccd' in self.terms else None
        if (teacher_input_size, teacher_mean, teacher_std) != (None, ) * 3:
            normalise = getattr(self.data_preprocessor, '_enable_normalize',
                                False)
            TeacherInput(
                teacher_input_size, teacher_mean, teacher_std,
                *((self.data_preprocessor.mean, self.data_preprocessor.std)
                  if normalise else ())).attach(self.teacher)
        preprocessor_views = getattr(self.data_preprocessor, 'num_views',
                                     None)
        if preprocessor_views != num_views:
            raise ValueError(
                f'DCCD needs {num_views} views per image stacked view-major, '
                'but its data_preprocessor is '
                f'{type(self.data_preprocessor).__name__} (num_views='
                f'{preprocessor_views}). Set data_preprocessor=dict(type='
                f"'MultiViewClsDataPreprocessor', num_views={num_views}, ...)"
                '.')

    def _distiller_cfg(self, sources: Dict[str, str],
                       **term_args: Dict) -> Dict:
        """The ``ConfigurableDistiller`` config of eq. (14).

        Args:
            sources (dict[str, str]): Module names of ``student_feat``,
                ``teacher_feat``, ``student_logits`` and ``teacher_logits``.
            **term_args (dict): For each term of ``self.terms``, the keyword
                arguments of its step (:meth:`_kd_term`, :meth:`_dkd_term`,
                :meth:`_ccd_term`).
        """
        steps = dict(kd=self._kd_term, dkd=self._dkd_term, ccd=self._ccd_term)
        losses, mappings, connectors = {}, {}, {}
        for term in self.terms:
            loss, mapping, term_connectors = steps[term](**term_args[term])
            losses[f'loss_{term}'] = loss
            mappings[f'loss_{term}'] = mapping
            connectors.update(term_connectors)

        def recorders(side: str) -> Dict:
            return dict(
                feat=dict(type='ModuleInputs', source=sources[f'{side}_feat']),
                logits=dict(
                    type='ModuleOutputs', source=sources[f'{side}_logits']))

        return dict(
            type='ConfigurableDistiller',
            student_recorders=recorders('student'),
            teacher_recorders=recorders('teacher'),
            distill_losses=losses,
            connectors=connectors,
            loss_forward_mappings=mappings)

    @staticmethod
    def _logits_mapping() -> Dict:
        """Both sides' recorded logits as ``preds_S`` and ``preds_T``."""
        return dict(
            preds_S=dict(from_student=True, recorder='logits'),
            preds_T=dict(from_student=False, recorder='logits'))

    def _kd_term(self, *, tau: float, alpha: float) -> Term:
        """:math:`\\alpha L_{KD}`: Hinton KD on all rows."""
        loss = dict(type='HintonKDLoss', tau=tau, loss_weight=alpha)
        return Term(loss, self._logits_mapping(), {})

    def _dkd_term(self, *, tau: float, distance: str, alpha: float) -> Term:
        """:math:`\\alpha L_{DKD}`: eq. (7) on the view differences."""
        loss = dict(
            type='DifferenceKDLoss',
            tau=tau,
            distance=distance,
            loss_weight=alpha)
        return Term(loss, self._logits_mapping(), {})

    def _ccd_term(self, *, student_feat_dim: int, teacher_feat_dim: int,
                  theta: float, imitation_weight: float,
                  connector: Optional[Dict],
                  teacher_connector: Optional[Dict],
                  gather_distributed: bool) -> Term:
        """:math:`\\beta L_{CCD}` (eqs. 3-5) on the pooled features, the
        student's mapped by :math:`M_s` to the teacher width ``d``."""
        loss = dict(
            type='ChannelContrastiveLoss',
            theta=theta,
            imitation_weight=imitation_weight,
            num_views=self.num_views,
            loss_weight=self.beta,
            gather_distributed=gather_distributed)
        preds_S, student_connector = feat_record('student', connector,
                                                 student_feat_dim,
                                                 teacher_feat_dim)
        preds_T, teacher_connector = feat_record('teacher', teacher_connector,
                                                 teacher_feat_dim,
                                                 teacher_feat_dim)
        return Term(loss, dict(preds_S=preds_S, preds_T=preds_T),
                    dict(student_connector, **teacher_connector))

    def loss(
        self,
        batch_inputs: torch.Tensor,
        data_samples: Optional[List[BaseDataElement]] = None,
    ) -> LossResults:
        """Eq. (14) on a view-major stacked batch.

        Args:
            batch_inputs (torch.Tensor): Shape ``(V * b, C, H, W)``.
            data_samples (list[BaseDataElement], optional): ``V * b``
                samples (labels repeated per view).

        Returns:
            dict: ``student.loss`` (CE on all rows, when
            ``calculate_student_loss``) and ``distill.loss_*``.
        """
        self._check_views(batch_inputs)
        losses = super().loss(batch_inputs, data_samples)
        if self.balanced_beta is not None:
            ccd = losses['distill.loss_ccd']
            beta = self.balanced_beta([
                v for k, v in losses.items()
                if 'loss' in k and k != 'distill.loss_ccd'
            ], ccd)
            losses['distill.loss_ccd'] = ccd * beta.to(ccd.dtype)
            losses['distill.beta'] = beta.float()
        return losses

    def _check_views(self, batch_inputs: torch.Tensor) -> None:
        """Raise a ``ValueError`` unless ``batch_inputs`` splits into
        ``num_views`` equal views of at least 2 rows (CCD's per-channel
        statistics need 2), the layout of :mod:`mmdccd.utils.views`."""
        split_views(batch_inputs, self.num_views, min_rows=2)
