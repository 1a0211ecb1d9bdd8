"""The short run of the load and fault harness (tests/load/harness.py): two real server
processes on PostgreSQL, a fake Slack that answers 429 and 500 now and then, one process
killed (SIGKILL) and one stopped (SIGTERM) in the middle of a burst, both restarted.

It asserts behaviour only: nothing acknowledged is lost or done twice, no message is lost or
posted twice (also when the SIGKILL falls between Slack's answer and the commit, or Slack
posted and answered 500: the next attempt finds the message by its metadata,
bot/workers/delivery.py), every event is acknowledged in the end (Slack retries), and a click
or command goes unanswered only when it was in flight on the process that was killed. The
figures (how fast) are the full run's, printed by `python -m tests.load.harness`.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import PG_URL
from tests.load.harness import SHORT, run

pytestmark = pytest.mark.postgres


def _own_database() -> str:
    """The test database's name + "_load": the harness drops and recreates its schema, which
    must never be the schema the rest of the run uses."""
    url = sa.engine.make_url(PG_URL)
    name = f"{url.database}_load"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        pytest.skip("PostgreSQL unreachable")
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def test_nothing_acknowledged_is_lost_or_done_twice_through_a_crash_and_a_deploy() -> None:
    outcome = run(SHORT, _own_database())
    assert outcome.problems() == [], outcome.report()
    assert outcome.acked["event"] == SHORT.events
    assert set(outcome.inbox_by_status) == {"done"}, outcome.report()
    assert outcome.sent_twice == 0, outcome.report()
    assert outcome.outbox_by_status.get("sent", 0) > 0
    # a click or command is lost to Slack only when it was in flight on the killed process
    assert all(failure.split(":")[1] == "a" for failure in outcome.unacked), outcome.report()
