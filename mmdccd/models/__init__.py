from . import (algorithms, backbones, classifiers, connectors,  # noqa
               data_preprocessors, heads, losses, necks, pruning, utils)
