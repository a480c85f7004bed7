from .features import classifier_of, extract_pooled_features
from .plots import plot_channel_correlation
from .redundancy import (channel_correlation_matrix, channel_points,
                         channel_redundancy,
                         cosine_similarity_matrix, geometric_median,
                         mean_distance_to_geometric_median)
from .tsne import tsne, tsne_channels

__all__ = [
    'channel_correlation_matrix', 'channel_points', 'channel_redundancy',
    'classifier_of', 'plot_channel_correlation',
    'cosine_similarity_matrix',
    'extract_pooled_features', 'geometric_median',
    'mean_distance_to_geometric_median', 'tsne', 'tsne_channels'
]
