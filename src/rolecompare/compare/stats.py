"""Statistics of counted figures: the 95% Wilson score interval of a share k of n.

Computed where a figure is shown, from k and n (the KB stores only those), so that no
rounded share or interval is ever stored.
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of k successes in n trials, in percent (0-100)."""
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"{k} of {n} is not a share")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # At k = 0 and k = n the bound is exactly the share; rounding must not move it past.
    lo = 0.0 if k == 0 else max(0.0, centre - half) * 100
    hi = 100.0 if k == n else min(1.0, centre + half) * 100
    return lo, hi
