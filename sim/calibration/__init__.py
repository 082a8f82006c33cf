"""Calibration: free parameters and priors, targets, ABC-SMC, the posterior, predictive checks, sensitivity."""
