"""Log the teacher's validation accuracy before the first training step."""
import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmengine.registry import HOOKS


@HOOKS.register_module()
class TeacherAccuracyHook(Hook):
    """Evaluate a distillation's teacher on the validation set before the
    first training iteration, so a wrong ``teacher_ckpt`` shows on the first
    screen instead of after days of training.

    Runs when the validation loop is mmrazor's
    ``SingleTeacherDistillValLoop`` (it gives the teacher the algorithm's
    data preprocessor) and the teacher's head has as many classes as the
    validation set (not, e.g., the cross-model transfer's 200-class teacher
    on a 10-class set); does nothing otherwise, and on a resumed run. The
    metrics are logged as ``teacher.*`` and not recorded anywhere else.

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
        head_classes = getattr(
            getattr(model.teacher, 'head', None), 'num_classes', None)
        if not classes or head_classes != classes:
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
