package org.sinter.autotune.space;

import java.util.List;
import org.sinter.autotune.lower.BuiltKernel;
import org.sinter.autotune.lower.Kernel;
import org.sinter.autotune.schedule.Schedule;
import org.sinter.autotune.te.ComputeDecl;

/**
 * A schedule template (AutoTVM's {@code @autotvm.template}): a declaration, the knobs of its
 * schedules, and the schedule of each configuration. A configuration the template cannot honour
 * (a tile that does not divide a dimension) throws from {@link #apply} with the reason.
 */
public interface Template {
    /** The template's name, logged beside each trial ("conv2d_nchw_direct", …). */
    String name();

    ComputeDecl decl();

    ConfigSpace space();

    /** The schedule of the configuration's generated loop nest (its features feed the cost model). */
    Schedule apply(Config c);

    /**
     * The runnable kernel of {@code c}, whose generated part is {@code schedule} (= {@link #apply}{@code (c)}):
     * by default that nest alone; a template with fixed stages around it wraps them here.
     */
    default Kernel build(Config c, Schedule schedule) {
        return BuiltKernel.build(schedule);
    }

    /**
     * Configurations the tuner measures first, before its explorer's picks: for a template whose
     * space contains the schedule of the built-in kernel it competes with, that point, so that a
     * search starts no worse than the built-in. None by default.
     */
    default List<Config> seeds() {
        return List.of();
    }

    /** The largest error relative to the largest output a correct kernel of {@code c} may show (the measurer's bound applies too). */
    default double tolerance(Config c) {
        return Double.POSITIVE_INFINITY;
    }
}
