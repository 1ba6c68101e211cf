"""The web dashboard at /_dynoscale/ui: tables, live capacity charts, alarms, scaling activities,
an item browser and the clock (routes.py: URLs; views.py: what is shown; static/: the page)."""
