# Hinton KD baseline, ResNet-34 -> ResNet-18 on ImageNet-1k (Table II "KD"),
# single view, student CE weight 0.1 and KD weight 0.9 at tau 4.
_base_ = [
    '../_base_/models/kd.py',
    '../_base_/models/imagenet_resnet.py',
    'mmpretrain::_base_/datasets/imagenet_bs32.py',
    'mmpretrain::_base_/schedules/imagenet_bs256.py',
    '../_base_/default_runtime.py',
]

model = dict(
    architecture=dict(
        _scope_='mmpretrain',
        type='ImageClassifier',
        backbone=dict(
            type='ResNet', depth=18, num_stages=4, out_indices=(3, )),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=1000,
            in_channels=512,
            loss=dict(type='CrossEntropyLoss', loss_weight=0.1),
            topk=(1, 5))),
    teacher={{_base_.resnet34}},
    teacher_ckpt={{_base_.resnet34_ckpt}})
# mmpretrain's base leaves the preprocessor type to the classifier; the
# algorithm builds it in mmrazor's scope, so name it.
data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
