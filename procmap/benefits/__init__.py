"""Benefit realisation: the plan made from a comparison, its follow-up, the benefit map and the slides.

- :mod:`procmap.benefits.plan`: ``make_plan(comparison, ...)`` -> :class:`BenefitPlan` (pure);
- :mod:`procmap.benefits.owners` / :mod:`procmap.benefits.actuals`: the user's CSV tables, bad rows as warnings;
- :mod:`procmap.benefits.followup`: measured minutes -> realised hours and shares;
- :mod:`procmap.benefits.map`: the benefit map, laid out by Graphviz ``dot``;
- :mod:`procmap.benefits.output`: the workbook, the printable HTML and PDF;
- :mod:`procmap.benefits.slides`: the deck for decision makers;
- :mod:`procmap.benefits.run`: the use cases the command line and the web page call.
"""
