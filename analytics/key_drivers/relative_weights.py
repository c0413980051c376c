"""Johnson's relative weights (Johnson 2000, Multivariate Behavioral Research 35(1)).

The predictors' correlation matrix R = V diag(lambda) V' is split by its eigenvectors into
orthogonal variables Z = X R^(-1/2), each as close as possible to one predictor. The
outcome is regressed on Z (coefficients beta = R^(-1/2) r_xy, uncorrelated, so their
squares add up to R^2), and each predictor j gets the share of every Z_k it is made of:
weight_j = sum_k (R^(1/2))_jk^2 beta_k^2. The weights are never negative and sum to R^2.

Inputs are correlation matrices, stacked along the first axis, so one call fits a cell
and all of its bootstrap resamples. A singular R (two drivers perfectly correlated, or a
driver that never varies) is handled as the pseudo-inverse does: eigenvalues below a
relative tolerance count as zero, and the outcome's variance along them is not explained.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Eigenvalues below this share of the largest one are treated as zero (a singular R).
EIGENVALUE_TOLERANCE = 1e-10
# A column whose standard deviation is below this is constant: it correlates with nothing.
CONSTANT_TOLERANCE = 1e-12


def weighted_correlations(values: FloatArray, weights: npt.NDArray[np.number]) -> FloatArray:
    """Pearson correlation matrices of the columns of `values` (rows x p), one per row of
    `weights` (resamples x rows): each weight row counts how often a row is taken."""
    weights_2d = np.atleast_2d(weights).astype(np.float64)
    # Centred on the unweighted column means: resampled moments stay small and exact.
    centred = values - values.mean(axis=0)
    totals = weights_2d.sum(axis=1)[:, None]
    columns = centred.shape[1]
    rows, cols = np.triu_indices(columns)
    means = (weights_2d @ centred) / totals
    upper = (weights_2d @ (centred[:, rows] * centred[:, cols])) / totals
    second = np.empty((len(weights_2d), columns, columns))
    second[:, rows, cols] = upper
    second[:, cols, rows] = upper
    return correlations_from_moments(means, second)


def correlations_from_moments(means: FloatArray, second: FloatArray) -> FloatArray:
    """Correlation matrices (..., p, p) from column means (..., p) and mean products
    (..., p, p). A column that does not vary correlates 0 with every other column (1 with
    itself), so a constant driver gets no weight instead of an undefined one."""
    covariance = second - means[..., :, None] * means[..., None, :]
    deviation = np.sqrt(np.clip(np.diagonal(covariance, axis1=-2, axis2=-1), 0.0, None))
    varies = deviation > CONSTANT_TOLERANCE
    scale = np.where(varies, deviation, 1.0)
    correlation = covariance / (scale[..., :, None] * scale[..., None, :])
    correlation = np.where(varies[..., :, None] & varies[..., None, :], correlation, 0.0)
    diagonal = np.arange(means.shape[-1])
    correlation[..., diagonal, diagonal] = 1.0
    return np.clip(correlation, -1.0, 1.0)


def relative_weights(correlations: FloatArray) -> FloatArray:
    """Raw relative weights of predictors 1..p-1 for the outcome in column 0.

    `correlations` is (..., p, p) with the outcome first; the result is (..., p-1), and
    each row sums to the R^2 of the outcome's regression on the predictors.
    """
    predictors = correlations[..., 1:, 1:]
    with_outcome = correlations[..., 1:, 0]
    eigenvalues, eigenvectors = np.linalg.eigh(predictors)
    largest = eigenvalues.max(axis=-1, keepdims=True)
    kept = eigenvalues > EIGENVALUE_TOLERANCE * np.maximum(largest, EIGENVALUE_TOLERANCE)
    root = np.sqrt(np.where(kept, eigenvalues, 0.0))
    inverse_root = np.where(kept, 1.0 / np.where(kept, root, 1.0), 0.0)
    # R^(1/2) = V diag(sqrt(lambda)) V' and beta = V diag(1/sqrt(lambda)) V' r_xy.
    transposed = np.swapaxes(eigenvectors, -1, -2)
    square_root = (eigenvectors * root[..., None, :]) @ transposed
    projected = (transposed @ with_outcome[..., None])[..., 0]
    beta = (eigenvectors @ (inverse_root * projected)[..., None])[..., 0]
    return ((square_root**2) @ (beta**2)[..., None])[..., 0]
