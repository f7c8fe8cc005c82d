"""Training projects: activities, links, calendars, scheduling, Gantt and network diagram."""
