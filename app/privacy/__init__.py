"""Privacy (DSGVO): a person's data export, erasure, retention periods and their purge, and
the record of processing activities for the data protection officer."""
