"""The shipped frameworks: exact structure as published, data files built from the sources."""

import pytest

from app.frameworks.case import read_case
from app.frameworks.shipped import SHIPPED, build_case, case_path

KMK = {
    "1": "Suchen, Verarbeiten und Aufbewahren",
    "1.1": "Suchen und Filtern",
    "1.2": "Auswerten und Bewerten",
    "1.3": "Speichern und Abrufen",
    "2": "Kommunizieren und Kooperieren",
    "2.1": "Interagieren",
    "2.2": "Teilen",
    "2.3": "Zusammenarbeiten",
    "2.4": "Umgangsregeln kennen und einhalten (Netiquette)",
    "2.5": "An der Gesellschaft aktiv teilhaben",
    "3": "Produzieren und Präsentieren",
    "3.1": "Entwickeln und Produzieren",
    "3.2": "Weiterverarbeiten und Integrieren",
    "3.3": "Rechtliche Vorgaben beachten",
    "4": "Schützen und sicher Agieren",
    "4.1": "Sicher in digitalen Umgebungen agieren",
    "4.2": "Persönliche Daten und Privatsphäre schützen",
    "4.3": "Gesundheit schützen",
    "4.4": "Natur und Umwelt schützen",
    "5": "Problemlösen und Handeln",
    "5.1": "Technische Probleme lösen",
    "5.2": "Werkzeuge bedarfsgerecht einsetzen",
    "5.3": "Eigene Defizite ermitteln und nach Lösungen suchen",
    "5.4": "Digitale Werkzeuge und Medien zum Lernen, Arbeiten und Problemlösen nutzen",
    "5.5": "Algorithmen erkennen und formulieren",
    "6": "Analysieren und Reflektieren",
    "6.1": "Medien analysieren und bewerten",
    "6.2": "Medien in der digitalen Welt verstehen und reflektieren",
}


@pytest.mark.parametrize("name", SHIPPED)
def test_data_files_are_built_from_the_sources(name):
    assert case_path(name).read_text(encoding="utf-8") == build_case(name), (
        f"run `python -m app.frameworks.shipped` after editing the source of {name}"
    )


def _areas_and_competences(name):
    framework = read_case(case_path(name).read_bytes())
    areas = [node for node in framework.nodes if node.parent is None]
    competences = [node for node in framework.nodes if node.parent is not None]
    return framework, areas, competences


def test_kmk_has_exactly_its_6_areas_and_22_competences_with_descriptors():
    framework, areas, competences = _areas_and_competences("kmk-2016")
    assert (len(areas), len(competences)) == (6, 22)
    assert {node.code: node.title for node in framework.nodes} == KMK
    search = next(node for node in competences if node.code == "1.1")
    assert "- 1.1.1 Arbeits- und Suchinteressen klären und festlegen" in search.description


def test_digcomp_has_5_areas_21_competences_and_8_levels():
    framework, areas, competences = _areas_and_competences("digcomp-2.2")
    assert (len(areas), len(competences)) == (5, 21)
    assert len(framework.scale) == 8
    assert framework.language == "en"


def test_nrw_has_6_areas_of_4_competences():
    _framework, areas, competences = _areas_and_competences("mkr-nrw")
    assert len(areas) == 6
    assert all(sum(1 for c in competences if c.parent == a.key) == 4 for a in areas)
