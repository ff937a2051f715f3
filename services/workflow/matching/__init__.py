"""Forming mixed-ministry teams: pair scores, the CP-SAT optimiser, a greedy baseline, explanations."""
