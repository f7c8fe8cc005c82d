"""Co-determination and transparency: works-council approvals of person-level reports, and
the page on which every person reads who looked at their data."""
