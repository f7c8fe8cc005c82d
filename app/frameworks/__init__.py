"""Frameworks: competence frameworks, scales, requirement profiles, evidence and levels."""
