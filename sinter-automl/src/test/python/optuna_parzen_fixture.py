#!/usr/bin/env python3
"""Writes src/test/resources/automl/optuna_parzen.json: log densities of Optuna 3.1's univariate Parzen estimator
(Debian's python3-optuna; consider_prior, prior weight 1, magic clip, consider_endpoints=False, default weights) for
fixed observation sets, which ParzenEstimatorTest compares Sinter's estimator with. Run with /usr/bin/python3 from
sinter-automl/."""
import json
import os
import warnings

import numpy as np
import optuna
from optuna.distributions import FloatDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights

warnings.filterwarnings("ignore")
params = _ParzenEstimatorParameters(consider_prior=True, prior_weight=1.0, consider_magic_clip=True,
                                    consider_endpoints=False, weights=default_weights, multivariate=False)
rng = np.random.RandomState(0)
cases = []
for n in (0, 1, 2, 7, 30, 60):  # beyond 25 observations the default weights ramp
    low, high = -5.0, 10.0
    obs = rng.uniform(low, high, size=n)
    xs = np.concatenate([[low, high], rng.uniform(low, high, size=8)])
    pe = _ParzenEstimator({"x": obs}, {"x": FloatDistribution(low, high)}, params)
    cases.append({"low": low, "high": high, "observations": obs.tolist(), "x": xs.tolist(),
                  "log_pdf": pe.log_pdf({"x": xs}).tolist()})
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "automl", "optuna_parzen.json")
with open(out + ".tmp", "w") as f:
    json.dump({"optuna": optuna.__version__, "cases": cases}, f, indent=1)
os.replace(out + ".tmp", out)
print("wrote", os.path.normpath(out))
