"""The charts of a training project, drawn on the server as SVG so that the page and the
PDF show the same picture: the Gantt chart (gantt.py) and the network diagram
(netdiagram.py, laid out by network_layout.py) with their shared inputs (chart_parts.py).

Pure: no Flask, no database.
"""

from app.projects.chart_parts import ENGLISH, GERMAN, Arrow, Row, link_label, number
from app.projects.gantt import gantt_svg
from app.projects.netdiagram import network_svg
from app.projects.network_layout import NODE_HEIGHT, NODE_WIDTH, network_layout

__all__ = [
    "ENGLISH",
    "GERMAN",
    "NODE_HEIGHT",
    "NODE_WIDTH",
    "Arrow",
    "Row",
    "gantt_svg",
    "link_label",
    "network_layout",
    "network_svg",
    "number",
]
