from .mlp_connector import MLPConnector

__all__ = ['MLPConnector']
