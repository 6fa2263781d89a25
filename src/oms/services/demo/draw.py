"""Weighted random draws in O(log n). `random.choices` rebuilds the cumulative weights on every call,
which dominated the simulation's time; these pickers build them once."""

import random
from bisect import bisect
from itertools import accumulate


class Picker:
    def __init__(self, items, weights):
        self.items, self.cum = list(items), list(accumulate(weights))

    def __call__(self, rng: random.Random):
        return self.items[bisect(self.cum, rng.random() * self.cum[-1])]

    def most_likely(self):
        weights = [b - a for a, b in zip([0, *self.cum], self.cum)]
        return self.items[weights.index(max(weights))]

    @classmethod
    def of(cls, shares) -> "Picker":
        """From (item, weight) pairs."""
        shares = list(shares)
        return cls([item for item, _ in shares], [weight for _, weight in shares])
