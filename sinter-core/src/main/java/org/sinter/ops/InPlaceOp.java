package org.sinter.ops;

/**
 * An op that can also write its result into its first input (the {@code add_} form): the result
 * its {@link Op#meta meta function} describes must have the first input's shape and a dtype that
 * casts to it. Backends execute it with {@code executeInPlace}.
 */
public sealed interface InPlaceOp extends Op permits UnaryOps.Unary, BinaryOps.Binary, BinaryOps.Axpy,
        ShapeOps.CopyFrom, ShapeOps.Fill {}
