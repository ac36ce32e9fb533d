package org.sinter.autotune.space;

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

    Schedule apply(Config c);
}
