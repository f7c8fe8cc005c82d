"""1EdTech CASE 1.0 JSON packages (CFPackage): read into FrameworkData, and write back.

Pure: no Flask, no database. The tree comes from `isChildOf` associations (child = origin,
parent = destination), order from their `sequenceNumber`, code from `humanCodingScheme`,
title from `fullStatement`. English texts of a German framework travel in the item's
`extensions.medienpass` object, which other CASE readers ignore.
"""

import html
import json
import re
import uuid

from app.frameworks.tree import FormatError, FrameworkData, Node, at_line, check_tree, ordered
from app.messages import N_

# Identifiers we derive ourselves: stable for the same document and code.
NAMESPACE = uuid.UUID("5d0c8f3e-2b1a-4c8e-9f53-6a7d2e1b0c44")
TAG = re.compile(r"<[^>]+>")


def looks_like_case(text):
    stripped = text.lstrip("\ufeff \t\r\n")
    return stripped.startswith("{") and '"CFDocument"' in stripped[:200_000]


def _plain(value):
    """Text of a statement that may hold HTML: tags removed, entities resolved, one line."""
    if not isinstance(value, str):
        return ""
    return " ".join(html.unescape(TAG.sub(" ", value)).split())


def _identifier(value):
    return value.strip() if isinstance(value, str) else ""


def _node_identifier(reference):
    if isinstance(reference, dict):
        return _identifier(reference.get("identifier"))
    return _identifier(reference)


def _at_item(key):
    return N_("item %(key)s", key=key)


def _number(value):
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def read_case(data):
    """FrameworkData of a CASE package; FormatError names the item identifier or JSON line."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    try:
        package = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(
            [(at_line(error.lineno), N_("not valid JSON: %(error)s", error=error.msg))]
        )
    if not isinstance(package, dict) or not isinstance(package.get("CFDocument"), dict):
        raise FormatError([("CFPackage", N_("no CFDocument object: not a CASE package"))])
    document = package["CFDocument"]
    doc_id = _identifier(document.get("identifier"))
    title = _plain(document.get("title"))
    problems = []
    if not title:
        problems.append((f"CFDocument {doc_id}".strip(), N_("the document has no title")))
    items = package.get("CFItems") or []
    associations = package.get("CFAssociations") or []
    if not isinstance(items, list) or not isinstance(associations, list):
        raise FormatError([("CFPackage", N_("CFItems and CFAssociations must be lists"))])

    nodes, warnings = [], []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not _identifier(item.get("identifier")):
            problems.append((f"CFItems[{index}]", N_("item without identifier")))
            continue
        key = _identifier(item["identifier"])
        kind = item.get("CFItemType") or (item.get("CFItemTypeURI") or {}).get("title") or ""
        extra = (item.get("extensions") or {}).get("medienpass") or {}
        nodes.append(
            Node(
                key=key,
                title=_plain(item.get("fullStatement")),
                code=_plain(item.get("humanCodingScheme")),
                description=item.get("notes") or "",
                kind=str(kind),
                title_en=extra.get("title_en") or "",
                description_en=extra.get("description_en") or "",
                where=_at_item(key),
            )
        )
    by_key = {}
    for node in nodes:
        by_key.setdefault(node.key, node)

    placed, unresolved = set(), {}
    for index, association in enumerate(associations):
        if not isinstance(association, dict):
            problems.append((f"CFAssociations[{index}]", N_("association is not an object")))
            continue
        if association.get("associationType") != "isChildOf":
            continue
        child = _node_identifier(association.get("originNodeURI"))
        parent = _node_identifier(association.get("destinationNodeURI"))
        where = N_(
            "association %(association)s",
            association=_identifier(association.get("identifier")) or index,
        )
        if child not in by_key:
            skipped = N_("child '%(child)s' is not an item of this package; skipped", child=child)
            warnings.append((where, skipped))
            continue
        if child in placed:
            second = N_(
                "'%(child)s' has a second parent '%(parent)s'; kept the first",
                child=child,
                parent=parent,
            )
            warnings.append((where, second))
            continue
        if parent == doc_id or parent in by_key:
            node = by_key[child]
            node.parent = None if parent == doc_id else parent
            node.order = _number(association.get("sequenceNumber"))
            placed.add(child)
            unresolved.pop(child, None)
        else:
            unresolved.setdefault(child, parent)
    for child, parent in unresolved.items():
        if child not in placed:
            missing = N_("parent '%(parent)s' does not exist in the package", parent=parent)
            problems.append((_at_item(child), missing))
    for node in nodes:
        if node.key not in placed and node.key not in unresolved:
            unlinked = N_("not linked to the document; placed at the top level")
            warnings.append((node.where, unlinked))
    problems.extend(check_tree(nodes))
    if problems:
        raise FormatError(problems)
    extra = (document.get("extensions") or {}).get("medienpass") or {}
    return FrameworkData(
        title=title,
        title_en=extra.get("title_en") or "",
        scale=[str(name) for name in extra.get("scale") or []],
        nodes=nodes,
        identifier=doc_id,
        version=str(document.get("version") or ""),
        language=str(document.get("language") or ""),
        description=document.get("description") or "",
        source=document.get("officialSourceURL") or document.get("publisher") or "",
        warnings=warnings,
    )


def stable_identifier(framework_identifier, key):
    """The node's identifier when it is already a UUID; else one derived from the document."""
    try:
        return str(uuid.UUID(key))
    except ValueError:
        return str(uuid.uuid5(NAMESPACE, f"{framework_identifier}/{key}"))


def write_case(framework, base_uri="urn:medienpass", changed="2026-01-01T00:00:00+00:00"):
    """The framework as a CASE package (a dict; json.dumps it). Same input, same output."""
    doc_id = stable_identifier("document", framework.identifier or framework.title)
    ids = {node.key: stable_identifier(doc_id, node.key) for node in framework.nodes}

    def uri(identifier):
        return f"{base_uri}/{identifier}"

    document_ref = {"title": framework.title, "identifier": doc_id, "uri": uri(doc_id)}
    items, associations = [], []
    positions = {}
    for node, _depth in ordered(framework.nodes):
        identifier = ids[node.key]
        item = {
            "identifier": identifier,
            "uri": uri(identifier),
            "fullStatement": node.title,
            "humanCodingScheme": node.code,
            "CFDocumentURI": document_ref,
            "lastChangeDateTime": changed,
            "language": framework.language or "de",
        }
        if node.kind:
            item["CFItemType"] = node.kind
        if node.description:
            item["notes"] = node.description
        if node.title_en or node.description_en:
            item["extensions"] = {
                "medienpass": {"title_en": node.title_en, "description_en": node.description_en}
            }
        items.append(item)
        position = positions[node.parent] = positions.get(node.parent, 0) + 1
        parent_ref = (
            document_ref
            if node.parent is None
            else {"title": "", "identifier": ids[node.parent], "uri": uri(ids[node.parent])}
        )
        association_id = str(uuid.uuid5(NAMESPACE, f"{identifier}/isChildOf"))
        associations.append(
            {
                "identifier": association_id,
                "uri": uri(association_id),
                "associationType": "isChildOf",
                "sequenceNumber": position,
                "originNodeURI": {
                    "title": node.title,
                    "identifier": identifier,
                    "uri": uri(identifier),
                },
                "destinationNodeURI": parent_ref,
                "CFDocumentURI": document_ref,
                "lastChangeDateTime": changed,
            }
        )
    document = {
        "identifier": doc_id,
        "uri": uri(doc_id),
        "creator": "Medienpass",
        "title": framework.title,
        "version": framework.version,
        "language": framework.language or "de",
        "description": framework.description,
        "officialSourceURL": framework.source,
        "lastChangeDateTime": changed,
        "adoptionStatus": "Published",
        "CFPackageURI": {"title": framework.title, "identifier": doc_id, "uri": uri(doc_id)},
    }
    if framework.title_en or framework.scale:
        document["extensions"] = {
            "medienpass": {"title_en": framework.title_en, "scale": list(framework.scale)}
        }
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}
