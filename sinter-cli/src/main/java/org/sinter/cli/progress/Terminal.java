package org.sinter.cli.progress;

import java.io.Console;

/** Whether standard output is an interactive terminal (where redrawing a line in place works). */
public final class Terminal {
    private Terminal() {}

    /**
     * True when stdout is a terminal: {@code System.console()} exists and, on JDK 22+, says it is a
     * terminal ({@code isTerminal()}; before that a console always was one), and TERM is not "dumb".
     * False when output goes to a file, a pipe, CI logs or an IDE's run window.
     */
    public static boolean isInteractive() {
        Console c = System.console();
        if (c == null || !c.isTerminal()) return false;
        return !"dumb".equals(System.getenv("TERM"));
    }
}
