from . import (algorithms, backbones, connectors, data_preprocessors,  # noqa
               heads, losses, necks, pruning, utils)
