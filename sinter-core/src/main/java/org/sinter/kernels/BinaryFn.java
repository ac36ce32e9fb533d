package org.sinter.kernels;

/** Elementwise functions of two arguments that the array kernels implement (PyTorch semantics). */
public enum BinaryFn {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, ATAN2,
    /** Python-style remainder: result has the sign of the divisor. */
    REMAINDER,
    /** Division rounded toward negative infinity. */
    FLOOR_DIVIDE,
    /** fmod: result has the sign of the dividend. */
    FMOD
}
