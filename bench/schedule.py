"""Scheduling a large training project: the app's scheduler against a networkx longest path.

    python -m bench.schedule                      # 10,000 activities, 30,000 links, 7 runs
    python -m bench.schedule --runs 15 --activities 20000 --links 60000

It builds a seeded random acyclic network (links from lower to higher index, random
durations, link types and lags), then times (a) `app.projects.scheduling.schedule`, the
full forward and backward pass with floats, and (b) the baseline: the earliest starts
alone, as a longest path in a weighted networkx DiGraph (edge weight = the link's bound
on the successor's start, as the scheduler defines it) walked in `nx.topological_sort`
order. Before timing it checks that both give the same earliest starts, for an FS-only
network and for the mixed one. It prints the median and p90 of each and the ratio of the
medians. Goal: a median of 500 ms or less for the scheduler; exit status 1 when missed.
"""

import argparse
import random
import sys

from app.projects.scheduling import LINK_TYPES, Activity, Link, schedule
from bench.timing import summary, timed

GOAL_MS = 500


def random_network(activities=10_000, links=30_000, seed=2024, types=LINK_TYPES):
    """A seeded random acyclic network: each link runs from a lower to a higher index."""
    rng = random.Random(seed)
    nodes = [
        Activity(f"A{i}", rng.choice((0, 1, 2, 3, 5, 8, 13)), f"Activity {i}")
        for i in range(activities)
    ]
    edges = []
    for _ in range(links):
        source = rng.randrange(activities - 1)
        target = rng.randrange(source + 1, min(activities, source + 200))
        edges.append(Link(f"A{source}", f"A{target}", rng.choice(types), rng.randint(-2, 4)))
    return nodes, edges


def networkx_earliest_starts(activities, links):
    """Earliest starts as a longest path over a networkx DiGraph with one weight per link."""
    import networkx as nx

    duration = {activity.id: activity.duration for activity in activities}
    graph = nx.DiGraph()
    graph.add_nodes_from(duration)
    for link in links:
        weight = link.lag
        if link.type in ("FS", "FF"):
            weight += duration[link.source]
        if link.type in ("FF", "SF"):
            weight -= duration[link.target]
        # A DiGraph keeps one edge per pair; the tighter of two parallel links is the one.
        if graph.has_edge(link.source, link.target):
            weight = max(weight, graph[link.source][link.target]["weight"])
        graph.add_edge(link.source, link.target, weight=weight)
    earliest = {}
    for node in nx.topological_sort(graph):
        earliest[node] = max(
            (earliest[pred] + data["weight"] for pred, _, data in graph.in_edges(node, data=True)),
            default=0,
        )
        earliest[node] = max(earliest[node], 0)
    return earliest


def _agree(activities, links):
    ours = schedule(activities, links).timings
    theirs = networkx_earliest_starts(activities, links)
    assert all(ours[ident].es == theirs[ident] for ident in ours), "earliest starts differ"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)

    fs_only = random_network(args.activities, args.links, args.seed, types=("FS",))
    _agree(*fs_only)
    activities, links = random_network(args.activities, args.links, args.seed)
    _agree(activities, links)
    result = schedule(activities, links)
    print(
        f"{len(activities):,} activities, {len(links):,} links (all four types): "
        f"T = {result.duration:g} days, {len(result.critical_ids()):,} critical; "
        "earliest starts agree with networkx (FS only and mixed)"
    )
    ours = timed(lambda: schedule(activities, links), args.runs, args.warmup)
    theirs = timed(lambda: networkx_earliest_starts(activities, links), args.runs, args.warmup)
    mine = summary("schedule() forward + backward pass", ours, width=40)
    baseline = summary("networkx longest path, earliest only", theirs, width=40)
    print(f"ratio of medians: {mine / baseline:.2f} (this app / networkx); goal {GOAL_MS} ms")
    return 0 if mine <= GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
