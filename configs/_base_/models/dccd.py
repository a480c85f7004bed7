# DCCD (paper eq. 14): L = CE + alpha * (KD + DKD) + beta * CCD.
# A pair config adds `architecture` (student), `teacher` and `teacher_ckpt`;
# the feature widths (`student_feat_dim`, `teacher_feat_dim`) and recorded
# modules (`*_feat_source`, `*_logits_source`) are found when left out;
# beta defaults to 25.6 / d.
# Inline classifiers are written as dict(_scope_='mmpretrain',
# type='ImageClassifier', ...) or dict(cfg_path='mmpretrain::...').
model = dict(
    _scope_='mmrazor',
    type='DCCD',
    alpha=1.0,  # weight of KD and DKD
    beta=None,  # weight of CCD; None -> 25.6 / teacher_feat_dim
    theta=2.0,  # contrastive weight of L_eye (fig. 9a)
    tau=4.0,  # temperature of KD and DKD
    imitation_weight=1.0,
    terms=('kd', 'dkd', 'ccd'),
    dkd_distance='kl',
    connector=dict(type='MLPConnector', num_layers=2),  # M_s (Table V)
    teacher_connector=None,
    gather_distributed=False)

# Distillation configs also set (the schedule bases own `val_cfg`, and keys
# may not repeat among bases) the loop that reports the student's and the
# teacher's accuracy:
#   val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
