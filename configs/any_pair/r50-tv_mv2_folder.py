# Your own data: DCCD of a torchvision ResNet-50 teacher into an mmpretrain
# MobileNetV2 on an image folder in mmpretrain's CustomDataset layout
# (class names from the folder names):
#   data/my_dataset/train/<class>/*.jpg   data/my_dataset/val/<class>/*.jpg
# Edit data_root, num_classes and teacher_ckpt (the teacher fine-tuned on
# your classes by r50-tv_folder_finetune.py), then
#   python tools/train.py configs/any_pair/r50-tv_mv2_folder.py
#   python tools/test.py configs/any_pair/r50-tv_mv2_folder.py \
#       work_dirs/r50-tv_mv2_folder/epoch_100.pth
_base_ = './r50-tv_mv2_in1k.py'

data_root = 'data/my_dataset'
num_classes = 10

model = dict(
    architecture=dict(head=dict(num_classes=num_classes, topk=(1, ))),
    teacher=dict(num_classes=num_classes),
    teacher_ckpt='work_dirs/r50-tv_folder_finetune/epoch_30.pth')
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
