# CRD baseline (Tian et al., ICLR 2020) with mmrazor's parts in
# FrozenTeacherDistill (strict teacher_ckpt), RepDistiller
# recipe: L = CE + 0.8 * CRD; embeddings Linear(C, 128) + L2 norm for the
# student and the teacher (CRDConnector) on the pooled penultimate features
# (inputs of head.fc); NCE with 16384 negatives, temperature 0.07, memory
# momentum 0.5, 50,000 memory rows (the CIFAR-100 training set). The
# per-sample and negative indices come from CRDSampleDataset
# (datasets/cifar100_bs64_crd.py). A pair config adds `architecture`,
# `teacher`, `teacher_ckpt` and the connectors' `dim_in`.
# mmrazor 1.0.0's CRDLoss ignores its `loss_weight`; mmdccd's WeightedCRDLoss
# applies it.
model = dict(
    _scope_='mmrazor',
    type='FrozenTeacherDistill',
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(
            feat=dict(type='ModuleInputs', source='head.fc'),
            data_samples=dict(type='ModuleInputs', source='')),
        teacher_recorders=dict(
            feat=dict(type='ModuleInputs', source='head.fc')),
        distill_losses=dict(
            loss_crd=dict(
                type='WeightedCRDLoss',
                loss_weight=0.8,
                temperature=0.07,
                neg_num=16384,
                sample_n=50000,
                dim_out=128,
                momentum=0.5)),
        connectors=dict(
            crd_student=dict(type='CRDConnector', dim_in=None, dim_out=128),
            crd_teacher=dict(type='CRDConnector', dim_in=None, dim_out=128)),
        loss_forward_mappings=dict(
            loss_crd=dict(
                s_feats=dict(
                    from_student=True,
                    recorder='feat',
                    data_idx=0,
                    connector='crd_student'),
                t_feats=dict(
                    from_student=False,
                    recorder='feat',
                    data_idx=0,
                    connector='crd_teacher'),
                data_samples=dict(
                    from_student=True, recorder='data_samples',
                    data_idx=1)))))

# Distillation configs also set (the schedule bases own `val_cfg`):
#   val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
