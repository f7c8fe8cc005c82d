"""Where the boxes of the network diagram go: columns by the links (each activity one column
right of its right-most predecessor, taken in the order of their earliest start), rows
ordered against crossings by barycenter sweeps and pulled level with their predecessors.

Pure: no Flask, no database.
"""

import heapq
from statistics import median

NODE_WIDTH, NODE_HEIGHT = 184, 86
COLUMN_GAP, ROW_GAP = 76, 34
MARGIN = 16
SWEEPS = 4


class Grid:
    """Columns, rows (slots) and the links between known, distinct activities."""

    def __init__(self, rows, arrows):
        self.ids = [row.id for row in rows]
        self.timing = {row.id: row.timing for row in rows}
        self.predecessors = {ident: [] for ident in self.ids}
        self.successors = {ident: [] for ident in self.ids}
        self.arrows = []
        for arrow in arrows:
            source, target = arrow.source, arrow.target
            if source in self.successors and target in self.successors and source != target:
                self.arrows.append(arrow)
                if target not in self.successors[source]:
                    self.successors[source].append(target)
                    self.predecessors[target].append(source)
        self.column = self._columns()
        self.layers = self._ordered_layers()
        self.slot = self._slots()
        self.columns = len(self.layers)
        self.slots = max(self.slot.values(), default=-1) + 1

    def _columns(self):
        # Kahn's algorithm taking the earliest start first; should the links hold a cycle
        # (the scheduler refuses them) the earliest waiting activity goes next anyway.
        position = {ident: index for index, ident in enumerate(self.ids)}

        def key(ident):
            return (self.timing[ident].es, position[ident], ident)

        waiting = {ident: len(self.predecessors[ident]) for ident in self.ids}
        ready = [key(ident) for ident in self.ids if not waiting[ident]]
        heapq.heapify(ready)
        column = {}
        while len(column) < len(self.ids):
            if not ready:
                ready = [min(key(ident) for ident in self.ids if ident not in column)]
            *_, node = heapq.heappop(ready)
            if node in column:
                continue
            placed = [column[p] + 1 for p in self.predecessors[node] if p in column]
            column[node] = max(placed, default=0)
            for successor in self.successors[node]:
                waiting[successor] -= 1
                if waiting[successor] == 0 and successor not in column:
                    heapq.heappush(ready, key(successor))
        return column

    def _ordered_layers(self):
        layers = [[] for _ in range(max(self.column.values(), default=-1) + 1)]
        for ident in self.ids:
            layers[self.column[ident]].append(ident)
        # Critical activities first, so that the critical path tends to run along the top.
        for layer in layers:
            layer.sort(key=lambda i: (not self.timing[i].critical, self.timing[i].es))
        place = {ident: index for layer in layers for index, ident in enumerate(layer)}
        for _ in range(SWEEPS):
            for layer in layers[1:]:
                self._reorder(layer, place, self.predecessors)
            for layer in reversed(layers[:-1]):
                self._reorder(layer, place, self.successors)
        for layer in layers[1:]:
            self._reorder(layer, place, self.predecessors)
        return layers

    def _reorder(self, layer, place, neighbours):
        def barycenter(ident):
            found = [place[n] for n in neighbours[ident] if self.column[n] != self.column[ident]]
            return sum(found) / len(found) if found else place[ident]

        keys = {ident: barycenter(ident) for ident in layer}
        layer.sort(key=lambda ident: keys[ident])
        for index, ident in enumerate(layer):
            place[ident] = index

    def _slots(self):
        """Rows in each column's order, a box level with its predecessors where free, so that
        chains run straight."""
        slot = {}
        for layer in self.layers:
            taken = -1
            for ident in layer:
                before = [slot[p] for p in self.predecessors[ident] if p in slot]
                wanted = int(median(before)) if before else 0
                slot[ident] = max(taken + 1, wanted)
                taken = slot[ident]
        return slot

    def position(self, ident):
        """The top left corner of an activity's box."""
        return (
            MARGIN + self.column[ident] * (NODE_WIDTH + COLUMN_GAP),
            MARGIN + self.slot[ident] * (NODE_HEIGHT + ROW_GAP),
        )

    def size(self):
        """Width and height of the boxes with their margins (no legend)."""
        return (
            2 * MARGIN + self.columns * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP,
            2 * MARGIN + self.slots * (NODE_HEIGHT + ROW_GAP) - ROW_GAP,
        )


def network_layout(rows, arrows):
    """The top left corner (x, y) of each activity's box, by id; boxes are NODE_WIDTH ×
    NODE_HEIGHT."""
    grid = Grid(list(rows), list(arrows))
    return {ident: grid.position(ident) for ident in grid.ids}
