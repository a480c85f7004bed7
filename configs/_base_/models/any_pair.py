# Teachers and students from timm, torchvision and mmpretrain, named for use
# as {{_base_.name}} in the teacher/student slots of distillation configs.
# DCCD finds their feature widths and recorder sources itself (one dry
# forward at build time): no `*_feat_dim` or `*_feat_source` is needed.
# ImageNet-1k heads (1000 classes); the folder recipes override num_classes.

# timm ViT-B/16 at 224 px (`pip install mmdccd[timm]`), ImageNet-1k top-1
# 85.1%. Its weights are timm's own state dict, which TimmClassifier loads
# as teacher_ckpt; write it once (online) with
#   python -c "import timm, torch; torch.save(timm.create_model(
#     'vit_base_patch16_224.augreg2_in21k_ft_in1k', pretrained=True)
#     .state_dict(), 'checkpoints/vit_b16_augreg2_in1k.pth')"
# (or set pretrained=True to download at every build).
timm_vit_b16 = dict(
    _scope_='mmpretrain',
    type='TimmClassifier',
    model_name='vit_base_patch16_224.augreg2_in21k_ft_in1k',
    num_classes=1000)
timm_vit_b16_ckpt = 'checkpoints/vit_b16_augreg2_in1k.pth'
# its input normalisation (timm's pretrained_cfg, in 0-255 pixels)
timm_vit_b16_mean = [127.5, 127.5, 127.5]
timm_vit_b16_std = [127.5, 127.5, 127.5]

# torchvision ResNet-50; its own weights format loads as teacher_ckpt
# (torchvision's resnet50-11ad3fa6.pth, IMAGENET1K_V2, top-1 80.86%).
torchvision_resnet50 = dict(
    _scope_='mmpretrain',
    type='TorchvisionClassifier',
    model_name='resnet50',
    num_classes=1000)
torchvision_resnet50_ckpt = (
    'https://download.pytorch.org/models/resnet50-11ad3fa6.pth')

# mmpretrain DeiT-S (non-distilled: its pre-logit feature is the class
# token), top-1 79.86%.
deit_small = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(
        type='VisionTransformer',
        arch='deit-small',
        img_size=224,
        patch_size=16),
    neck=None,
    head=dict(
        type='VisionTransformerClsHead',
        num_classes=1000,
        in_channels=384,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
deit_small_ckpt = (
    'https://download.openmmlab.com/mmclassification/v0/deit/'
    'deit-small_pt-4xb256_in1k_20220218-9425b9bb.pth')

# mmpretrain MobileNetV2 1.0x (student).
mobilenet_v2 = dict(
    _scope_='mmpretrain',
    type='ImageClassifier',
    backbone=dict(type='MobileNetV2', widen_factor=1.0),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=1000,
        in_channels=1280,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
