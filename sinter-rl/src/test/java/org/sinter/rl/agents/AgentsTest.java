package org.sinter.rl.agents;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Tensor;
import org.sinter.nn.io.SafeTensors;

@Timeout(240) // a hang guard, not a speed check
class AgentsTest {
    @TempDir
    Path dir;

    @Test
    void algorithmsThatDoNotFitTheActionSpaceAreRefusedWithWhatFits() {
        var e = assertThrows(IllegalArgumentException.class, () -> Agents.checkPair("dqn", "Pendulum-v1"));
        assertEquals("dqn needs a discrete action space, but Pendulum-v1 has continuous (Box) actions; use ppo, ddpg, td3, sac for Pendulum-v1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Agents.checkPair("sac", "CartPole-v1"));
        assertTrue(e.getMessage().startsWith("sac needs a continuous (Box) action space, but CartPole-v1 has discrete actions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Agents.checkPair("reinforce", "CartPole-v1"));
        assertTrue(e.getMessage().contains("unknown algorithm 'reinforce'; known: ppo, a2c, impala, dqn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Agents.checkPair("ppo", "CartPole-v0"));
        assertTrue(e.getMessage().contains("unknown environment 'CartPole-v0'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Agents.create("dqn", "CartPole-v1", 1, new Agents.Options(0, 4)));
        assertTrue(e.getMessage().contains("only ppo and a2c run several"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Agents.create("ppo", "CartPole-v1", 1, new Agents.Options(100, 0)));
        assertTrue(e.getMessage().contains("less than one update"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Agents.create("ppo", "CartPole-v1", 1,
                new Agents.Options(0, 0, org.sinter.rl.dqn.DqnVariants.parse("dueling"))));
        assertEquals("DQN variants (dueling) apply to dqn only, not ppo", e.getMessage());
        Agents.checkPair("PPO".toLowerCase(), "Acrobot-v1"); // fits
    }

    @Test
    void aCheckpointRebuildsTheSamePolicy() throws Exception {
        for (String[] pair : new String[][] {{"ppo", "CartPole-v1"}, {"a2c", "MountainCar-v0"}, {"dqn", "Acrobot-v1"}, {"dqn", "CartPole-v1", "dueling,per"},
                {"td3", "Pendulum-v1"}, {"sac", "MountainCarContinuous-v0"}, {"ppo", "Pendulum-v1"}, {"apex", "CartPole-v1"}}) {
            var variants = pair.length > 2 ? org.sinter.rl.dqn.DqnVariants.parse(pair[2]) : org.sinter.rl.dqn.DqnVariants.NONE;
            Agent agent = Agents.create(pair[0], pair[1], 7, new Agents.Options(0, 0, variants));
            Path file = dir.resolve(pair[0] + ".safetensors");
            PolicyCheckpoint.save(file, agent.spec(), agent.policy(), 1234);
            PolicyCheckpoint.Loaded loaded = PolicyCheckpoint.load(file);
            assertEquals(agent.spec(), loaded.spec());
            assertEquals(1234, loaded.steps());
            Map<String, Tensor> a = agent.policy().stateDict(), b = loaded.policy().stateDict();
            assertEquals(a.keySet(), b.keySet());
            for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), pair[0] + " " + k);
            // The rebuilt network acts as the trained one: the same greedy returns, episode for episode.
            assertArrayEquals(GreedyEvaluation.returns(agent.spec(), agent.policy(), 2, 3), GreedyEvaluation.returns(loaded.spec(), loaded.policy(), 2, 3));
        }
    }

    @Test
    void aFileThatIsNotAPolicyCheckpointIsRefusedNamingIt() throws Exception {
        Path file = dir.resolve("weights.safetensors");
        SafeTensors.save(Map.of("w", Tensor.zeros(2, 2)), file, Map.of("format", "pt"));
        var e = assertThrows(IllegalArgumentException.class, () -> PolicyCheckpoint.load(file));
        assertTrue(e.getMessage().startsWith(file + ": not an RL policy checkpoint (metadata field rl.algorithm is missing)"), e.getMessage());
        // Right metadata, wrong tensors.
        SafeTensors.save(Map.of("w", Tensor.zeros(2, 2)), file, new PolicySpec("dqn", "CartPole-v1", new int[] {8}).metadata());
        e = assertThrows(IllegalArgumentException.class, () -> PolicyCheckpoint.load(file));
        assertTrue(e.getMessage().contains("its tensors do not fit a dqn on CartPole-v1 [8] policy"), e.getMessage());
        SafeTensors.save(Map.of("w", Tensor.zeros(2, 2)), file, Map.of("rl.algorithm", "dqn", "rl.env", "Pendulum-v1", "rl.hidden", "8"));
        e = assertThrows(IllegalArgumentException.class, () -> PolicyCheckpoint.load(file));
        assertTrue(e.getMessage().contains("dqn needs a discrete action space"), e.getMessage());
    }

    @Test
    void greedyEvaluationRepeatsAndAGreedyPendulumPolicyIsDeterministic() {
        Agent agent = Agents.create("ddpg", "Pendulum-v1", 2, Agents.Options.DEFAULTS);
        double[] first = GreedyEvaluation.returns(agent.spec(), agent.policy(), 3, 11);
        assertArrayEquals(first, GreedyEvaluation.returns(agent.spec(), agent.policy(), 3, 11));
        assertNotEquals(first[0], first[1], "later episodes continue the seeded stream, from other initial states");
        assertThrows(IllegalArgumentException.class, () -> GreedyEvaluation.returns(agent.spec(), agent.policy(), 0, 1));
    }
}
