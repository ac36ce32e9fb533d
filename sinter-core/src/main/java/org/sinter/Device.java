package org.sinter;

/**
 * Where a tensor's data lives: {@code cpu} (Java heap arrays), {@code meta} (no data at all: only
 * shapes and dtypes, what a tracer runs on) or {@code cuda:i}. Printed and parsed as PyTorch does.
 */
public record Device(Type type, int index) {
    public enum Type { CPU, META, CUDA }

    public static final Device CPU = new Device(Type.CPU, 0);
    public static final Device META = new Device(Type.META, 0);

    public Device {
        if (index < 0) throw new IllegalArgumentException("Device: index must be non-negative, got " + index);
        if (type != Type.CUDA && index != 0) throw new IllegalArgumentException("Device: " + type + " has no index " + index);
    }

    public static Device cuda(int index) {
        return new Device(Type.CUDA, index);
    }

    /** Parses "cpu", "meta", "cuda" or "cuda:1". */
    public static Device of(String spec) {
        String s = spec.trim().toLowerCase();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        int index = 0;
        if (colon >= 0) {
            try {
                index = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Device: invalid device string '" + spec + "' (expected cpu, meta or cuda:N)");
            }
        }
        return switch (kind) {
            case "cpu" -> CPU;
            case "meta" -> META;
            case "cuda" -> cuda(index);
            default -> throw new IllegalArgumentException("Device: unknown device type in '" + spec + "' (expected cpu, meta or cuda:N)");
        };
    }

    @Override
    public String toString() {
        return type == Type.CUDA ? "cuda:" + index : type.name().toLowerCase();
    }
}
