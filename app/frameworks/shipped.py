"""The frameworks the product ships: built from researched source texts into CASE packages.

Pure: no Flask, no database. `app/frameworks/data/source/*.json` hold the published texts
(see SOURCES.md there); `app/frameworks/data/*.case.json` are built from them by
`build_case` and loaded by the same importer as any other CASE file. A test keeps the two
in step.
"""

import json
from pathlib import Path

from app.frameworks.case import write_case
from app.frameworks.tree import FrameworkData, Node

DATA = Path(__file__).resolve().parent / "data"
# (name, default?) in the order they are loaded; the first is the default framework.
SHIPPED = ("kmk-2016", "digcomp-2.2", "mkr-nrw")
DEFAULT = "kmk-2016"


def _text(value, language):
    """The text in the framework's language, else in the other one, else empty."""
    if not value:
        return ""
    other = "en" if language == "de" else "de"
    return value.get(language) or value.get(other) or ""


def _descriptor_list(descriptors, language):
    """Sub-points of a competence as a Markdown list, e.g. "- 1.1.1 Suchstrategien nutzen"."""
    lines = [
        f"- {item['code']} {_text(item['text'], language)}".rstrip()
        for item in descriptors or []
        if _text(item["text"], language)
    ]
    return "\n".join(lines)


def source_to_framework(source, name):
    language = source["language"][0]
    english = language == "en"
    nodes = []
    for area in source["areas"]:
        area_key = f"{name}/{area['code']}"
        nodes.append(
            Node(
                key=area_key,
                code=area["code"],
                title=_text(area["title"], language),
                description=_text(area.get("description"), language),
                kind="Kompetenzbereich" if not english else "Competence area",
                title_en=(area["title"] or {}).get("en") or "",
                description_en=(area.get("description") or {}).get("en") or "",
            )
        )
        for competence in area["competences"]:
            description = _text(competence.get("description"), language)
            descriptors = _descriptor_list(competence.get("descriptors"), language)
            nodes.append(
                Node(
                    key=f"{name}/{competence['code']}",
                    code=competence["code"],
                    title=_text(competence["title"], language),
                    description="\n\n".join(part for part in (description, descriptors) if part),
                    parent=area_key,
                    kind="Kompetenz" if not english else "Competence",
                    title_en=(competence["title"] or {}).get("en") or "",
                    description_en=(competence.get("description") or {}).get("en") or "",
                )
            )
    scale = [
        f"{_text(level['name'], language)} {level['level']}" for level in source["scale"] or []
    ]
    return FrameworkData(
        title=_text(source["title"], language),
        title_en=(source["title"] or {}).get("en") or "",
        nodes=nodes,
        identifier=f"medienpass:{name}",
        version=source["version"],
        language=language,
        source=source["source"],
        scale=scale,
    )


def build_case(name):
    """The CASE package of a shipped framework, as the text of its data file."""
    source = json.loads((DATA / "source" / f"{name}.json").read_text(encoding="utf-8"))
    package = write_case(source_to_framework(source, name), base_uri="urn:medienpass:shipped")
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"


def case_path(name):
    return DATA / f"{name}.case.json"


if __name__ == "__main__":  # regenerate the data files after editing a source text
    for framework_name in SHIPPED:
        case_path(framework_name).write_text(build_case(framework_name), encoding="utf-8")
