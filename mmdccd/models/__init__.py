from . import (algorithms, backbones, connectors, data_preprocessors,  # noqa
               losses, necks, pruning, utils)
