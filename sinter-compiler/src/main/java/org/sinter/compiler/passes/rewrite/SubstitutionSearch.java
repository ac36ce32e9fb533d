package org.sinter.compiler.passes.rewrite;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.passes.CommonSubexpressionElimination;
import org.sinter.compiler.passes.ConstantFolding;
import org.sinter.compiler.passes.DeadCodeElimination;
import org.sinter.compiler.passes.Pass;

/**
 * TASO's cost-guided search over rule applications, as a pass. Candidates wait in a queue ordered
 * by cost; the cheapest is taken, every match of every rule is applied to it, and each new graph
 * (new by its {@link GraphHash}) is kept if it costs less than {@code alpha} times the best so far.
 * An alpha above 1 lets the search pass through graphs no better or slightly worse than the best,
 * so it finds improvements that need such a step first ({@code x / 3 · 2}: the division becomes a
 * multiplication, which gains nothing until it merges with the next). The search stops when the
 * queue is empty or the budget (graphs expanded, milliseconds) is spent, and returns the cheapest
 * graph seen.
 *
 * <p>Independent neutral rewrites multiply the candidates (ten divisions give 2¹⁰ graphs of one
 * cost), so a search can spend its budget among them. Before it, a hill climb therefore takes
 * every single rewrite that lowers the cost, one at a time: strict improvements (ReLU after
 * pooling in every block of a CNN) are all made whatever the budget, and the search starts from
 * there.
 */
public final class SubstitutionSearch implements Pass {
    /**
     * @param alpha          how much worse than the best a candidate may be and still be expanded (TASO uses 1.05)
     * @param maxExpanded    graphs taken from the queue, at most
     * @param timeBudgetMs   wall-clock budget; the search returns the best so far when it is spent
     * @param matchesPerRule matches of one rule applied to one graph, at most
     */
    public record Options(double alpha, int maxExpanded, long timeBudgetMs, int matchesPerRule) {
        public Options {
            if (alpha < 1) throw new IllegalArgumentException("substitution search: alpha must be at least 1, got " + alpha);
            if (maxExpanded < 1 || timeBudgetMs < 1 || matchesPerRule < 1) {
                throw new IllegalArgumentException("substitution search: budgets must be positive, got maxExpanded " + maxExpanded + ", timeBudgetMs "
                        + timeBudgetMs + ", matchesPerRule " + matchesPerRule);
            }
        }

        public static Options defaults() {
            return new Options(1.05, 50, 500, 16);
        }
    }

    /** The search's result: the graph chosen, its estimated cost against the input's, the rules on its path, and the effort. */
    public record Outcome(Graph graph, double costBefore, double costAfter, List<String> applied, int explored, int expanded, boolean budgetSpent) {}

    private record Candidate(Graph graph, double cost, List<String> applied, long seq) {}

    private final List<Rule> rules;
    private final CostModel costModel;
    private final Options options;

    /** The verified standard library, the CPU roofline cost, default budgets. */
    public SubstitutionSearch() {
        this(RuleLibrary.standard(), RooflineCost.cpu(), Options.defaults());
    }

    /** Searches with {@code rules}, each verified on random inputs first (a wrong rule is refused here, naming it). */
    public SubstitutionSearch(List<Rule> rules, CostModel costModel, Options options) {
        this.rules = RuleLibrary.accept(rules);
        this.costModel = costModel;
        this.options = options;
    }

    /**
     * The search and the passes that tidy up after it: constants it combined fold, and repeated
     * and dead computations go. {@code frozenParameters}: parameters count as constants, in the
     * cost model and in folding (only for inference graphs whose parameters will not change).
     */
    public static List<Pass> pipeline(boolean frozenParameters) {
        SubstitutionSearch search = new SubstitutionSearch(RuleLibrary.standard(), RooflineCost.cpu().withFrozenParameters(frozenParameters),
                Options.defaults());
        return List.of(search, new ConstantFolding(frozenParameters), new CommonSubexpressionElimination(), new DeadCodeElimination());
    }

    @Override public String name() { return "substitution search"; }

    @Override
    public Result run(Graph g) {
        Outcome o = search(g);
        if (o.graph() == g) return Result.unchanged(g);
        Map<String, Integer> counts = new TreeMap<>();
        for (String r : o.applied()) counts.merge(r, 1, Integer::sum);
        StringJoiner applied = new StringJoiner(", ", "applied ", "");
        counts.forEach((r, c) -> applied.add(c > 1 ? r + " ×" + c : r));
        return new Result(o.graph(), applied + String.format(Locale.ROOT, "; estimated %.1f → %.1f µs; %d graphs explored%s",
                o.costBefore() * 1e6, o.costAfter() * 1e6, o.explored(), o.budgetSpent() ? ", budget spent" : ""));
    }

    public Outcome search(Graph start) {
        long deadline = System.nanoTime() + options.timeBudgetMs() * 1_000_000;
        int[] explored = {0};
        long[] seq = {0};
        Candidate first = new Candidate(start, costModel.cost(start), List.of(), seq[0]++);
        // Hill-climb first: every rewrite that lowers the cost is taken, whatever the budget left for the search.
        Candidate c = first;
        for (Candidate next = c; next != null && System.nanoTime() < deadline; ) {
            c = next;
            Candidate from = c;
            Candidate[] better = {null};
            neighbours(from, (g, rule) -> {
                explored[0]++;
                double cost = costModel.cost(g);
                if (cost < from.cost()) better[0] = new Candidate(g, cost, append(from.applied(), rule), seq[0]++);
                return better[0] != null;
            });
            next = better[0];
        }
        // Then TASO's search from there: candidates within alpha of the best are expanded, cheapest first.
        PriorityQueue<Candidate> queue = new PriorityQueue<>((a, b) -> a.cost() != b.cost() ? Double.compare(a.cost(), b.cost()) : Long.compare(a.seq(), b.seq()));
        Set<Long> seen = new HashSet<>(List.of(GraphHash.of(start), GraphHash.of(c.graph())));
        queue.add(c);
        Candidate[] best = {c};
        int expanded = 0;
        while (!queue.isEmpty() && expanded < options.maxExpanded() && System.nanoTime() < deadline) {
            Candidate from = queue.poll();
            expanded++;
            neighbours(from, (g, rule) -> {
                if (!seen.add(GraphHash.of(g))) return false;
                explored[0]++;
                Candidate n = new Candidate(g, costModel.cost(g), append(from.applied(), rule), seq[0]++);
                if (n.cost() < best[0].cost()) best[0] = n;
                if (n.cost() < options.alpha() * best[0].cost()) queue.add(n);
                return false;
            });
        }
        boolean spent = !queue.isEmpty() || System.nanoTime() >= deadline;
        return new Outcome(best[0].graph(), first.cost(), best[0].cost(), best[0].applied(), explored[0], expanded, spent);
    }

    /**
     * Applies each match of each rule to {@code c}'s graph and hands every result whose views can
     * all be made to {@code visit}, with the rule's name, until {@code visit} returns true.
     */
    private void neighbours(Candidate c, BiPredicate<Graph, String> visit) {
        GraphIndex index = new GraphIndex(c.graph());
        for (Rule rule : rules) {
            for (Match m : Matcher.find(rule, index, options.matchesPerRule())) {
                Graph next;
                try {
                    next = Substitution.apply(c.graph(), m);
                } catch (IllegalArgumentException e) {
                    continue; // the replacement does not fit here (a dtype promotes differently): not a candidate
                }
                if (ViewLegality.legal(next) && visit.test(next, rule.name())) return;
            }
        }
    }

    private static List<String> append(List<String> applied, String rule) {
        List<String> out = new ArrayList<>(applied);
        out.add(rule);
        return List.copyOf(out);
    }
}
