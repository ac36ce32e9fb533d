package org.sinter.distributed.launch;

/** Just enough of Slurm's host-list syntax ({@code node[01-04,07],gpu5}) to find the first host and tasks per node. */
final class SlurmNodeList {
    private SlurmNodeList() {}

    /** The first host of a node list: {@code "n[08-10],x"} gives {@code "n08"}. */
    static String first(String list) {
        String s = list.trim();
        int bracket = s.indexOf('[');
        int comma = s.indexOf(',');
        if (bracket < 0 || comma >= 0 && comma < bracket) return comma < 0 ? s : s.substring(0, comma);
        int close = s.indexOf(']', bracket);
        if (close < 0) throw new IllegalArgumentException("slurm: malformed node list '" + list + "'");
        String range = s.substring(bracket + 1, close).split(",")[0];
        String firstNumber = range.split("-")[0];
        return s.substring(0, bracket) + firstNumber + s.substring(close + 1).split(",")[0];
    }

    /** Tasks on the first node from {@code SLURM_TASKS_PER_NODE} ({@code "4(x2),3"} gives 4). */
    static int tasksOnFirstNode(String tasksPerNode) {
        String head = tasksPerNode.trim().split(",")[0];
        int paren = head.indexOf('(');
        try {
            return Integer.parseInt(paren < 0 ? head : head.substring(0, paren));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("slurm: SLURM_TASKS_PER_NODE must look like '4(x2),3', got '" + tasksPerNode + "'");
        }
    }
}
