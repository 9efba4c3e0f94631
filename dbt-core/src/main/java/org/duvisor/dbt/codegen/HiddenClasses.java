package org.duvisor.dbt.codegen;

import java.lang.invoke.MethodHandles;

/**
 * Loads generated code as hidden classes. They are not strongly linked to their defining loader,
 * so a region's class is unloaded once its region is dropped from the code cache.
 */
public final class HiddenClasses {
    private HiddenClasses() {
    }

    /**
     * Defines {@code bytes} as a hidden class in the package of {@code host}'s lookup class (the
     * generated class must name that package); returns a full-privilege lookup on it.
     */
    public static MethodHandles.Lookup define(MethodHandles.Lookup host, byte[] bytes) {
        try {
            return host.defineHiddenClass(bytes, true);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot define generated class", e);
        }
    }

    /**
     * As {@link #define(MethodHandles.Lookup, byte[])}, with {@code data} as the class data: the
     * generated code reads its elements as constants ({@code ldc} of a dynamic constant whose
     * bootstrap is {@link MethodHandles#classDataAt}).
     */
    public static MethodHandles.Lookup define(MethodHandles.Lookup host, byte[] bytes, java.util.List<?> data) {
        try {
            return host.defineHiddenClassWithClassData(bytes, data, true);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot define generated class", e);
        }
    }
}
