"""Kerncijfers: the KPI engine and its parts.

`engine` turns tallies into figures per period and team (`compute_kpis`); `cases` and
`vraagbaak` are the SQL tallies (`sql` their shared pieces); `periods` the weeks, months and
quarters; `format` the table and CSV; `reference` the plain-Python check of the SQL.
"""
