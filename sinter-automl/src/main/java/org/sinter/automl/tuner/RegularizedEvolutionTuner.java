package org.sinter.automl.tuner;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.sinter.automl.space.SearchSpace;

/**
 * Regularised (aging) evolution (Real, Aggarwal, Huang, Le, AAAI 2019): the population is the
 * last {@code populationSize} finished trials; until it is full, proposals are random; after that,
 * {@code sampleSize} members are drawn at random, the best of them is the parent, and the proposal
 * is the parent with one parameter mutated (a Gaussian step in the {@link UnitCube}, or another
 * option of a choice). The oldest member dies when a new one arrives, whatever its loss, which is
 * what distinguishes it from tournament selection that keeps the best forever.
 */
public final class RegularizedEvolutionTuner implements Tuner {
    private record Member(double[] x, double loss) {}

    private final UnitCube cube;
    private final long seed;
    private final int populationSize, sampleSize;
    private final double mutationStep;
    private final Deque<Member> population = new ArrayDeque<>();

    public RegularizedEvolutionTuner(SearchSpace space, long seed) {
        this(space, seed, 20, 5, 0.1);
    }

    public RegularizedEvolutionTuner(SearchSpace space, long seed, int populationSize, int sampleSize, double mutationStep) {
        if (populationSize < 2 || sampleSize < 1 || sampleSize > populationSize || !(mutationStep > 0))
            throw new IllegalArgumentException("evolution needs populationSize >= 2, 1 <= sampleSize <= populationSize, mutationStep > 0");
        this.cube = new UnitCube(space, "evolution");
        this.seed = seed;
        this.populationSize = populationSize;
        this.sampleSize = sampleSize;
        this.mutationStep = mutationStep;
    }

    @Override
    public Optional<Map<String, Object>> generateParameters(int trialId) {
        RandomGenerator rng = TrialRandom.forTrial(seed, trialId);
        if (population.size() < populationSize) return Optional.of(cube.decode(cube.random(rng)));
        List<Member> members = List.copyOf(population);
        Member parent = null;
        for (int i = 0; i < sampleSize; i++) {
            Member m = members.get(rng.nextInt(members.size()));
            if (parent == null || m.loss() < parent.loss()) parent = m;
        }
        return Optional.of(cube.decode(CubeMoves.mutateOne(cube, parent.x(), mutationStep, rng)));
    }

    @Override
    public void receiveTrialResult(int trialId, Map<String, Object> parameters, double loss) {
        if (!Double.isFinite(loss)) return;
        population.addLast(new Member(cube.encode(parameters), loss));
        if (population.size() > populationSize) population.removeFirst();
    }
}
