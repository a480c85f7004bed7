# mmpretrain ImageNet ResNets, named for use as {{_base_.resnet18}} etc. in
# distillation configs (the teacher/student slots of mmrazor algorithms).
resnet18 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=18, num_stages=4, out_indices=(3, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
resnet34 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=34, num_stages=4, out_indices=(3, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=512,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
# mmpretrain's ResNet-34 (top-1 73.62%). The paper's teacher is torchvision's
# (top-1 error 26.69%): convert it with
#   python tools/model_converters/torchvision2mmpretrain.py \
#       resnet34-b627a593.pth checkpoints/resnet34_torchvision.pth
# and pass --cfg-options model.teacher_ckpt=checkpoints/resnet34_torchvision.pth
resnet34_ckpt = ('https://download.openmmlab.com/mmclassification/v0/resnet/'
                 'resnet34_8xb32_in1k_20210831-f257d4e6.pth')
