from . import (algorithms, backbones, connectors, data_preprocessors,  # noqa
               losses, pruning, utils)
