"""The weight initialisation shared by the CRD benchmark's CIFAR networks.

Facts (RepDistiller's CIFAR models, github.com/HobbitLong/RepDistiller): every conv is
drawn from normal(0, sqrt(2 / (k * k * out_channels))) -- which is
``kaiming_normal_(mode='fan_out', nonlinearity='relu')`` -- with its bias (VGG
only) set to 0, and every BN gets weight 1 / bias 0. The ShuffleNets keep the
PyTorch defaults (no ``init_cfg``). The classifier is the head's business.
"""
BENCHMARK_INIT = [
    dict(
        type='Kaiming',
        layer='Conv2d',
        mode='fan_out',
        nonlinearity='relu',
        distribution='normal',
        bias=0),
    dict(type='Constant', val=1, bias=0, layer='_BatchNorm'),
]
