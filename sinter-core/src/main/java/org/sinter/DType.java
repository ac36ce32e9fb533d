package org.sinter;

/**
 * Element types of a {@link Tensor}. Half-precision types (bfloat16, float16) are storage types:
 * their arithmetic is computed in float32 and rounded back, as PyTorch does on CPU.
 */
public enum DType {
    BOOL("torch.bool", 1, Kind.BOOL, 0),
    INT32("torch.int32", 4, Kind.INTEGER, 2),
    INT64("torch.int64", 8, Kind.INTEGER, 3),
    BFLOAT16("torch.bfloat16", 2, Kind.FLOATING, 4),
    FLOAT16("torch.float16", 2, Kind.FLOATING, 4),
    FLOAT32("torch.float32", 4, Kind.FLOATING, 5),
    FLOAT64("torch.float64", 8, Kind.FLOATING, 6);

    /** Category for type promotion: a higher category always wins over a lower one. */
    public enum Kind { BOOL, INTEGER, FLOATING }

    private final String torchName;
    private final int itemSize;
    private final Kind kind;
    private final int rank;

    DType(String torchName, int itemSize, Kind kind, int rank) {
        this.torchName = torchName;
        this.itemSize = itemSize;
        this.kind = kind;
        this.rank = rank;
    }

    /** PyTorch's printed name, e.g. {@code torch.float32}. */
    public String torchName() { return torchName; }

    /** Bytes per element. */
    public int itemSize() { return itemSize; }

    public Kind kind() { return kind; }

    public boolean isFloatingPoint() { return kind == Kind.FLOATING; }

    public boolean isHalf() { return this == BFLOAT16 || this == FLOAT16; }

    public boolean isIntegral() { return kind == Kind.INTEGER; }

    /** The type kernels compute in: float32 for the half types, the type itself otherwise. */
    public DType computeType() { return isHalf() ? FLOAT32 : this; }

    /** PyTorch's {@code torch.promote_types}: the smallest type both values fit. */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a.kind != b.kind) return a.kind.ordinal() > b.kind.ordinal() ? a : b;
        if (a.isHalf() && b.isHalf()) return FLOAT32; // bfloat16 + float16
        return a.rank >= b.rank ? a : b;
    }

    /** The dtype PyTorch picks for a Python-style scalar operand of this kind (default float32). */
    public static DType defaultFor(Kind kind) {
        return switch (kind) {
            case BOOL -> BOOL;
            case INTEGER -> INT64;
            case FLOATING -> FLOAT32;
        };
    }
}
