"""Accounts: users, roles, departments, job roles, login and the audit log."""
