package org.sinter.learned.tuning;

import java.util.Map;

/** A measured figure of merit for one knob setting, higher better (throughput, or a negated latency). */
@FunctionalInterface
public interface Objective {
    double measure(Map<String, Object> knobs) throws Exception;
}
