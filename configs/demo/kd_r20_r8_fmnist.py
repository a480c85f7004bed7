# Demo Hinton KD (mmdccd FrozenTeacherDistill + HintonKDLoss, tau = 4),
# teacher resnet20 -> student resnet8, 128 images an iteration:
# L = 1.0 * CE + 1.0 * KD, the best of four weightings on the held-out val
# split (tools/analysis_tools/demo_sweep.py, docs/demo.md; RepDistiller's
# 0.1 CE + 0.9 KD came second). tools/demo.py sets teacher_ckpt.
_base_ = [
    './_base_/fashion_mnist.py', './_base_/schedule.py',
    './_base_/networks.py'
]

model = dict(
    _scope_='mmrazor',
    type='FrozenTeacherDistill',
    data_preprocessor={{_base_.data_preprocessor}},
    architecture={{_base_.student}},
    teacher={{_base_.teacher}},
    teacher_ckpt=None,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        distill_losses=dict(
            loss_kd=dict(type='HintonKDLoss', tau=4, loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_kd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))
