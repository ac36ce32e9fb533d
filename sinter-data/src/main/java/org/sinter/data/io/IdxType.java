package org.sinter.data.io;

/** The element types of the IDX format, with their type codes (the third byte of the magic number). */
public enum IdxType {
    UBYTE(0x08, 1),
    BYTE(0x09, 1),
    SHORT(0x0B, 2),
    INT(0x0C, 4),
    FLOAT(0x0D, 4),
    DOUBLE(0x0E, 8);

    private final int code;
    private final int size;

    IdxType(int code, int size) {
        this.code = code;
        this.size = size;
    }

    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** The type with this code, or null. */
    public static IdxType ofCode(int code) {
        for (IdxType t : values()) if (t.code == code) return t;
        return null;
    }

    static String known() {
        StringBuilder sb = new StringBuilder();
        for (IdxType t : values()) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(String.format("0x%02X %s", t.code, t.name().toLowerCase()));
        }
        return sb.toString();
    }
}
