"""Chapter 13's explorers, beyond fully connected networks: one module each.

``convolution`` (filters and a small CNN on the digits), ``recurrent`` (a tiny RNN
unrolled through time), ``autoencoder`` (a bottleneck against PCA), ``attention``
(one attention head on a toy sequence) and ``gan`` (a one-dimensional GAN).
"""
