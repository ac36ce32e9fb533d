package org.sinter.kernels;

/**
 * Elementwise functions of one argument that the array kernels implement. Some take parameters
 * ({@code p0}, {@code p1} in the kernel call); the list says which. Semantics follow PyTorch.
 */
public enum UnaryFn {
    NEG, ABS, SIGN, EXP, LOG, LOG1P, SQRT, RSQRT, SIN, COS, TANH, SIGMOID, RELU,
    /** p0 = negative slope. */
    LEAKY_RELU,
    /** Exact GELU: x * Phi(x). */
    GELU,
    /** GELU with the tanh approximation. */
    GELU_TANH,
    SILU,
    /** p0 = beta, p1 = threshold: x when beta*x > threshold, else log1p(exp(beta*x))/beta. */
    SOFTPLUS,
    /** p0 = min, p1 = max (use -inf / +inf for a one-sided clamp). */
    CLAMP,
    /** x ^ p0. */
    POW_SCALAR,
    /** p0 ^ x. */
    RPOW_SCALAR,
    ERF, EXPM1, RECIPROCAL, SQUARE, FLOOR, CEIL, ROUND, TRUNC, LOG2, LOG10, TAN, ASIN, ACOS, ATAN,
    SINH, COSH, ASINH, ACOSH, ATANH, EXP2,
    /** p0 * x + p1 (affine; used for scalar add/mul fused, and for casts with scaling). */
    AFFINE,
    /** The normalized sinc: sin(pi x) / (pi x), 1 at x = 0. */
    SINC,
    /** 1 where x is NaN (x != x), else 0, in the same dtype. */
    ISNAN
}
