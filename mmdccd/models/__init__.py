from . import (algorithms, backbones, classifiers,  # noqa
               connectors, data_preprocessors, losses, necks, pruning, utils)
