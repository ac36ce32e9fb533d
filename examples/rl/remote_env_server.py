#!/usr/bin/env python3
"""An environment served to Sinter over the external-environment protocol (docs/rl.md,
"External environments"), using only the standard library.

    python3 remote_env_server.py [PORT]     # PORT 0 (the default) picks a free one

It prints "listening PORT" on its first line, then serves one client at a time on 127.0.0.1.
On the Sinter side: RemoteEnv.discrete(PORT, Duration.ofSeconds(30)).

The environment, LineWalk-v0: a walker starts at a seeded random position in [-3, 3] and must
reach +5. Observation [position, steps taken]; actions 0 (left) and 1 (right); reward -1 a step and
+10 on reaching the goal (terminated); truncated after 20 steps.
"""
import random
import socket
import sys


class LineWalk:
    id = "LineWalk-v0"
    observation_space = "box 2 -inf 0 inf 20"
    action_space = "discrete 2 0"

    def __init__(self):
        self.rng = random.Random()
        self.position = None
        self.steps = 0

    def reset(self, seed=None):
        if seed is not None:
            self.rng.seed(seed)
        self.position = self.rng.randint(-3, 3)
        self.steps = 0
        return [float(self.position), 0.0]

    def step(self, action):
        if self.position is None:
            raise ValueError("step before reset")
        if action not in (0, 1):
            raise ValueError(f"action {action} is outside discrete 2 0")
        self.position += 1 if action == 1 else -1
        self.steps += 1
        terminated = self.position == 5
        truncated = not terminated and self.steps >= 20
        reward = 9.0 if terminated else -1.0
        obs = [float(self.position), float(self.steps)]
        if terminated or truncated:
            self.position = None
        return obs, reward, terminated, truncated


def fmt(values):
    return " ".join(repr(float(v)) for v in values)


def answer(env, tokens):
    if tokens[0] == "reset":
        seed = int(tokens[1]) if len(tokens) > 1 else None
        return "obs " + fmt(env.reset(seed))
    if tokens[0] == "step":
        if len(tokens) != 2:
            raise ValueError(f"a discrete action is one integer, got {len(tokens) - 1} values")
        obs, reward, terminated, truncated = env.step(int(tokens[1]))
        return f"step {reward!r} {int(terminated)} {int(truncated)} {fmt(obs)}"
    raise ValueError(f"unknown message '{tokens[0]}' (expected reset, step or close)")


def serve(conn):
    env = LineWalk()
    with conn, conn.makefile("r", encoding="utf-8") as rd, conn.makefile("w", encoding="utf-8") as wr:
        wr.write(f"sinter-env 1\nenv {env.id}\nobservation {env.observation_space}\naction {env.action_space}\n")
        wr.flush()
        for line in rd:
            tokens = line.split()
            if not tokens:
                continue
            if tokens[0] == "close":
                return
            try:
                reply = answer(env, tokens)
            except Exception as e:  # every bad request gets an error line; the connection stays open
                reply = f"error {env.id}: {e}"
            wr.write(reply + "\n")
            wr.flush()


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    with socket.create_server(("127.0.0.1", port)) as server:
        print("listening", server.getsockname()[1], flush=True)
        while True:
            conn, _ = server.accept()
            serve(conn)


if __name__ == "__main__":
    main()
