package org.sinter.compiler.ir;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/** Reading and building the engine's op records by reflection (their components are their attributes). */
final class Records {
    private Records() {}

    static Object read(Record r, RecordComponent c) {
        try {
            var m = c.getAccessor();
            m.setAccessible(true);
            return m.invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r, e);
        }
    }

    /** A new record of {@code cls} from its components in order; the canonical constructor's own error passes through. */
    static Object construct(Class<?> cls, Object[] components) throws InvocationTargetException {
        RecordComponent[] rc = cls.getRecordComponents();
        Class<?>[] types = new Class<?>[rc.length];
        for (int i = 0; i < rc.length; i++) types[i] = rc[i].getType();
        try {
            Constructor<?> c = cls.getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(components);
        } catch (InvocationTargetException e) {
            throw e;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a " + cls.getSimpleName() + ": " + e, e);
        }
    }
}
