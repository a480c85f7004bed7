# Hinton KD baseline with mmrazor's parts (RepDistiller recipe:
# L = 0.1 * CE + 0.9 * KD, tau = 4), in FrozenTeacherDistill (mmrazor's
# SingleTeacherDistill with a strictly loaded teacher_ckpt). A pair config adds `architecture`,
# `teacher` and `teacher_ckpt`, and sets the student's CE loss_weight to 0.1;
# the single-view dataset bases apply.
model = dict(
    _scope_='mmrazor',
    type='FrozenTeacherDistill',
    # The student's CE weight 0.1: merged into a pair config's `architecture`
    # whose head loss does not set `loss_weight` (configs/_base_/models/cifar).
    architecture=dict(head=dict(loss=dict(loss_weight=0.1))),
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        teacher_recorders=dict(
            logits=dict(type='ModuleOutputs', source='head.fc')),
        distill_losses=dict(
            loss_kd=dict(type='KLDivergence', tau=4, loss_weight=0.9)),
        loss_forward_mappings=dict(
            loss_kd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))

# Distillation configs also set (the schedule bases own `val_cfg`, and keys
# may not repeat among bases):
#   val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
