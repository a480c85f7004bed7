# Step 1 of the image-folder recipe: a teacher trained on other classes
# (torchvision's ImageNet ResNet-50) gets a new head for your num_classes
# and is fine-tuned on your data before it can teach: KD and DKD compare the
# two networks' class probabilities, which mean nothing with a random head.
# The ImageNet weights load into everything but the head (`fc`, left
# randomly initialised; mmengine logs its size mismatch); the whole network
# is fine-tuned with a small learning rate, 30 epochs, cosine decay.
#   python tools/train.py configs/any_pair/r50-tv_folder_finetune.py
# Then point teacher_ckpt of r50-tv_mv2_folder.py at its last checkpoint.
# (A timm teacher needs no checkpoint surgery: TimmClassifier(...,
# pretrained=True, num_classes=N) builds a new head itself.)
_base_ = './r50-tv_in1k.py'

data_root = 'data/my_dataset'
num_classes = 10

model = dict(
    num_classes=num_classes,
    init_cfg=dict(
        type='Pretrained', checkpoint={{_base_.torchvision_resnet50_ckpt}}))
data_preprocessor = dict(num_classes=num_classes)

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CustomDataset',
        data_root=data_root,
        data_prefix='train',
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CustomDataset',
        data_root=data_root,
        data_prefix='val',
        pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader
val_evaluator = dict(topk=(1, ))
test_evaluator = val_evaluator

optim_wrapper = dict(optimizer=dict(lr=0.01))
param_scheduler = dict(
    _delete_=True, type='CosineAnnealingLR', by_epoch=True, T_max=30)
train_cfg = dict(max_epochs=30)
