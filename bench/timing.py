"""Timing helpers of the benchmarks: runs after a warm-up, and a printed median and p90."""

import statistics
import time


def timed(function, runs, warmup):
    """Milliseconds of `runs` calls after `warmup` unmeasured ones."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(name, times, width=34):
    """Print the median and p90 of `times` (ms) after `name`; return the median."""
    ordered = sorted(times)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    print(f"{name:<{width}} median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms")
    return statistics.median(times)
