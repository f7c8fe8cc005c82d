"""The Medienpass: signed passes, their PDF and verification, bulk issue; HR's competence
reports."""
