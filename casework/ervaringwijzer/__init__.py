"""The Ervaringwijzer: client feedback after a closure.

`invitations` plans and sends the invitations, `survey` is the form a client fills in, `text`
its Dutch wording, `kpi` the figures it adds to the KPI engine.
"""
