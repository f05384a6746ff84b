"""Bayes with likelihood ratios: post-test odds = pre-test odds x LR."""

from __future__ import annotations


def post_test_probability(pretest: float, likelihood_ratio: float) -> float:
    """Post-test probability from a pre-test probability (0 < p < 1) and one likelihood ratio.

    Only for one validated cluster or one test: multiplying LRs of several tests assumes they
    are independent, which bedside tests are not.
    """
    if not 0 < pretest < 1:
        raise ValueError(f"pre-test probability must be between 0 and 1 (exclusive), got {pretest}")
    if likelihood_ratio < 0:
        raise ValueError(f"a likelihood ratio cannot be negative, got {likelihood_ratio}")
    odds = pretest / (1 - pretest) * likelihood_ratio
    return odds / (1 + odds)
