package org.sinter.distributed.transport;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * libc's {@code setsockopt} and {@code getsockopt} on a socket's descriptor, for the options Java
 * has no API for ({@link ReceiveLowWater}, {@link CongestionControl}). Where they cannot be bound,
 * {@link #set} and {@link #get} report failure and the caller keeps the kernel's default.
 */
final class SocketOption {
    static final int SOL_SOCKET = 1;
    static final int IPPROTO_TCP = 6;

    private static final MethodHandle SET = bind("setsockopt", ValueLayout.JAVA_INT);
    private static final MethodHandle GET = bind("getsockopt", ValueLayout.ADDRESS);

    private SocketOption() {}

    static boolean available() {
        return SET != null && GET != null;
    }

    /** Sets option {@code name} of {@code level} to {@code value}'s bytes; false where the kernel refused it. */
    static boolean set(int fd, int level, int name, MemorySegment value) {
        if (SET == null || fd < 0) return false;
        try {
            return (int) SET.invokeExact(fd, level, name, value, (int) value.byteSize()) == 0;
        } catch (Throwable e) {
            throw new IllegalStateException("setsockopt(" + level + ", " + name + ") on descriptor " + fd, e);
        }
    }

    /** Reads option {@code name} of {@code level} into {@code value}; its length, or -1 where the kernel refused. */
    static int get(int fd, int level, int name, MemorySegment value, MemorySegment length) {
        if (GET == null || fd < 0) return -1;
        length.set(ValueLayout.JAVA_INT, 0, (int) value.byteSize());
        try {
            return (int) GET.invokeExact(fd, level, name, value, length) == 0 ? length.get(ValueLayout.JAVA_INT, 0) : -1;
        } catch (Throwable e) {
            throw new IllegalStateException("getsockopt(" + level + ", " + name + ") on descriptor " + fd, e);
        }
    }

    /** {@code int name(int fd, int level, int option, void *value, LENGTH length)}, or null where it cannot be bound. */
    @SuppressWarnings("restricted") // binding libc's socket options is this class's purpose
    private static MethodHandle bind(String name, ValueLayout length) {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS, length));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
