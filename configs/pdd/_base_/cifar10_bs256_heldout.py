# CIFAR-10 for the PDD authors' recipe: their pipeline (random crop 32 with 4
# zero-padded pixels + horizontal flip; the same normalisation constants) and
# batch 256. They chose masks and fine-tuned models on the test set (their
# val_loader); here 10 % of every class of the training split (5,000 images,
# seed 0) is held out for that choice (val), training uses the other 45,000,
# and the test split is only tested on.
_base_ = '../../_base_/datasets/cifar10_bs64.py'

held_out = dict(val_fraction=0.1, seed=0)
train_dataloader = dict(
    batch_size=256, dataset=dict(subset='train', **held_out))
val_dataloader = dict(
    batch_size=256, dataset=dict(split='train', subset='val', **held_out))
test_dataloader = dict(batch_size=256, dataset=dict(split='test'))
