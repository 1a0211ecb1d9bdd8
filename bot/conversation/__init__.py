"""The application layer: what a colleague's message or command means, for every transport.

Slack (bot/slack/) and the console (bot/console/) only read their input and show the outcome;
the meaning lives here once: a direct message is an answer in an invitation's thread, a
registration or a question (direct.py); searches (search.py); profile changes (profile.py);
the team's figures (figures.py); revealing an anonymous asker (reveal.py); registrations typed
as text (registration.py). Nothing here imports Slack: the console is a true user-level test
backend for the same code.

Every function takes the colleague as a `Member` the transport resolved (None for a stranger)
and a `key` that names the delivery that caused it, so a message delivered twice acts once.
Refusals come back as Dutch text (bot/refusals.py words the domain's codes). A function
commits what it did but does not deliver: the transport answers first (Slack's ack must come
within three seconds), then calls `deps.after_commit()`. Work that may be slow (figures,
searches) is split into a cheap `understand` step, whose reply is the ack, and the rest.
"""
