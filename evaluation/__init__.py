"""Quality measurements, apart from the code they measure.

One module per `vraagbaak eval …` command: `routing` (experts), `catalogue` (social map and
Buurtacademie search), `privacy` (de-identification), `registrations` (quick registrations),
`kpi` (the KPI engine against kpi_expected_2017.json); `jitter` measures how far a figure moves
when the embeddings move a little. It sits beside the domain packages, not inside one, because
it reads several of them (routing, casework, knowledge); the domain core never imports it.
"""
