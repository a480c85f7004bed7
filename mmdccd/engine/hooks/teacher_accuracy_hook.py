"""Log the teacher's validation accuracy before the first training step."""
import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS

from mmdccd.models.utils.class_counts import class_count


@HOOKS.register_module()
class TeacherAccuracyHook(Hook):
    """Evaluate a distillation's teacher on the validation set before the
    first training iteration, so a wrong ``teacher_ckpt`` shows on the first
    screen instead of after days of training.

    Runs when the validation loop is mmrazor's
    ``SingleTeacherDistillValLoop`` (it gives the teacher the algorithm's
    data preprocessor) and the teacher predicts as many classes as the
    validation set has, counted by :func:`~mmdccd.models.utils.class_count`
    for mmpretrain, timm and torchvision teachers alike. Otherwise (a
    teacher whose classes cannot be counted, or the cross-model transfer's
    200-class teacher on a 10-class set) one log line says why it does not
    run; it stays silent without a teacher and on a resumed run. The metrics
    are logged as ``teacher.*`` and not recorded anywhere else.

    On by default in ``configs/_base_/default_runtime.py``.
    """

    priority = 'LOW'

    def before_train(self, runner) -> None:
        loop = runner.val_loop
        if runner.iter != 0 or not hasattr(loop, 'run_iter_teacher'):
            return
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        dataset = loop.dataloader.dataset
        classes = len((getattr(dataset, 'metainfo', None) or {}).get(
            'classes', ()))
        found = class_count(model.teacher)
        why = None
        if not classes:
            why = (f'the validation set ({type(dataset).__name__}) names no '
                   'classes')
        elif found.count is None:
            why = f'its classes are unknown ({found.source})'
        elif found.count != classes:
            why = (f'it predicts {found.count} classes (teacher.'
                   f'{found.source}) and the validation set has {classes}')
        if why is not None:
            print_log(
                f'the teacher is not evaluated before training: {why}',
                logger='current')
            return
        was_training = loop.teacher.training
        loop.teacher.eval()
        with torch.no_grad():
            for data_batch in loop.dataloader:
                loop.evaluator.process(
                    data_samples=loop.teacher.val_step(data_batch),
                    data_batch=data_batch)
        metrics = loop.evaluator.evaluate(len(dataset))
        loop.teacher.train(was_training)
        summary = ', '.join(f'teacher.{k}: {v:.4f}' if isinstance(v, float)
                            else f'teacher.{k}: {v}'
                            for k, v in metrics.items())
        print_log(
            f'teacher on the validation set before training: {summary}',
            logger='current')
