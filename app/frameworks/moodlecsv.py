"""Moodle competency framework CSV (tool_lpimportcsv): read into FrameworkData, write back.

Pure: no Flask, no database. Moodle reads the 14 columns by position after one header row;
the row with isframework=1 is the framework (its shortname is the title), every other row a
competency whose parentidnumber names its parent (empty: directly below the framework).
Line numbers are physical lines of the file, the header being line 1.
"""

import csv
import io

from app.frameworks.tree import FormatError, FrameworkData, Node, at_line, check_tree, ordered
from app.messages import N_

COLUMNS = (
    "parentidnumber",
    "idnumber",
    "shortname",
    "description",
    "descriptionformat",
    "scalevalues",
    "scaleconfiguration",
    "ruletype",
    "ruleoutcome",
    "ruleconfig",
    "relatedidnumbers",
    "exportid",
    "isframework",
    "taxonomy",
)

# The English labels Moodle's export writes as the header, per column.
LABELS = (
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
)

FORMAT_HTML = "1"


def _normal(cell):
    cell = cell.lower().replace("(optional)", "")
    return "".join(ch for ch in cell if ch.isalnum())


ACCEPTED = [{_normal(key), _normal(label)} for key, label in zip(COLUMNS, LABELS, strict=True)]
# Moodle versions spell a few labels differently; what counts is the start of the words.
PREFIXES = [_normal(label)[:8] for label in LABELS]


def looks_like_moodle_csv(text):
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    normal = [_normal(cell) for cell in next(csv.reader([first]), [])]
    return len(normal) >= 2 and normal[0] in ACCEPTED[0] | {PREFIXES[0]} | {"parentidnumber"}


def _header_problems(header):
    if len(header) < len(COLUMNS):
        message = N_(
            "the header has %(found)d columns, a Moodle competency framework CSV has "
            "%(expected)d: %(columns)s",
            found=len(header),
            expected=len(COLUMNS),
            columns=", ".join(COLUMNS),
        )
        return [(at_line(1), message)]
    problems = []
    for position, cell in enumerate(header[: len(COLUMNS)]):
        normal = _normal(cell)
        if normal not in ACCEPTED[position] and not normal.startswith(PREFIXES[position]):
            message = N_(
                "column %(number)d is '%(cell)s', expected '%(name)s' (or '%(label)s')",
                number=position + 1,
                cell=cell,
                name=COLUMNS[position],
                label=LABELS[position],
            )
            problems.append((at_line(1), message))
    return problems


def _unreadable(error):
    return N_("not readable as CSV: %(error)s", error=str(error))


def read_moodle_csv(data):
    """FrameworkData of a Moodle CSV; FormatError names the physical line."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError([(at_line(1), N_("the file is empty"))])
    except csv.Error as error:
        raise FormatError([(at_line(1), _unreadable(error))])
    problems = _header_problems(header)
    if problems:
        raise FormatError(problems)

    framework_row, nodes = None, []
    line = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise FormatError([(at_line(line), _unreadable(error))])
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) < len(COLUMNS):
            message = N_(
                "%(found)d fields, expected %(expected)d", found=len(record), expected=len(COLUMNS)
            )
            problems.append((at_line(start), message))
            continue
        row = dict(zip(COLUMNS, record, strict=False))
        # As Moodle reads it: any value but empty or "0" marks the framework row.
        if row["isframework"].strip() not in ("", "0"):
            if framework_row is not None:
                problems.append((at_line(start), N_("a second row with isframework=1")))
            framework_row = (start, row)
            continue
        key = row["idnumber"].strip()
        if not key:
            problems.append((at_line(start), N_("the competency has no idnumber")))
            continue
        nodes.append(
            Node(
                key=key,
                title=row["shortname"].strip(),
                code=key,
                description=row["description"].strip(),
                parent=row["parentidnumber"].strip() or None,
                where=at_line(start),
            )
        )
    if framework_row is None:
        problems.append((at_line(2), N_("no row with isframework=1 (the framework itself)")))
    elif not framework_row[1]["shortname"].strip():
        untitled = N_("the framework has no shortname (title)")
        problems.append((at_line(framework_row[0]), untitled))
    if framework_row is not None:
        # A competency whose parent is the framework itself stands at the top level.
        framework_key = framework_row[1]["idnumber"].strip()
        for node in nodes:
            if framework_key and node.parent == framework_key:
                node.parent = None
    problems.extend(check_tree(nodes))
    if problems:
        raise FormatError(problems)
    for position, node in enumerate(nodes):
        node.order = position
    _line, row = framework_row
    taxonomy = [term.strip() for term in row["taxonomy"].split(",") if term.strip()]
    depth = {node.key: d for node, d in ordered(nodes)}
    for node in nodes:
        if taxonomy:
            node.kind = taxonomy[min(depth[node.key], len(taxonomy) - 1)]
    return FrameworkData(
        title=row["shortname"].strip(),
        nodes=nodes,
        identifier=row["idnumber"].strip(),
        description=row["description"].strip(),
        scale=[value.strip() for value in row["scalevalues"].split(",") if value.strip()],
    )


def write_moodle_csv(framework, scale_values=None, scale_configuration=""):
    """The framework as Moodle's export writes it: label header, framework row, competencies
    parents first, in tree order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(LABELS)
    scale = scale_values if scale_values is not None else framework.scale
    writer.writerow(
        [
            "",
            framework.identifier or framework.title,
            framework.title,
            framework.description,
            FORMAT_HTML,
            ",".join(scale),
            scale_configuration,
            "",
            "",
            "",
            "",
            "",
            "1",
            "",
        ]
    )
    by_key = {node.key: node for node in framework.nodes}
    for node, _depth in ordered(framework.nodes):
        parent = by_key[node.parent].code or node.parent if node.parent is not None else ""
        writer.writerow(
            [parent, node.code or node.key, node.title, node.description, FORMAT_HTML]
            + ["", "", "", "", "", "", "", "0", ""]
        )
    return buffer.getvalue()
