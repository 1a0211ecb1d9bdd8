"""Demo data of Utrecht: the 18 teams and the bundled staff directory, through the importers,
and (for `vraagbaak demo` only) a year of case events and a coordinator."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from random import Random

from sqlmodel import Session, select

from knowledge.catalogue import load_modules_csv, load_offers_csv, sync_modules, sync_offers
from knowledge.experts_import import ImportReport, import_experts_csv
from knowledge.teams import all_teams
from models.clock import AMSTERDAM
from models.tables import Team


def demo_path(name: str) -> Path:
    return Path(str(resources.files("knowledge").joinpath(f"data/demo/{name}")))


def demo_experts_path() -> Path:
    return demo_path("experts.csv")


def seed_teams(session: Session) -> int:
    """Create the teams that are missing; returns how many were added."""
    existing = set(session.exec(select(Team.name)).all())
    added = 0
    for team in all_teams():
        if team.name not in existing:
            session.add(Team(name=team.name, wijk=team.wijk, aliases=tuple(team.aliases)))
            added += 1
    return added


def seed_demo(session: Session, now: datetime) -> ImportReport:
    """Teams, staff, the social map and the Buurtacademie catalogue (idempotent)."""
    seed_teams(session)
    report = import_experts_csv(session, demo_experts_path(), now)
    sync_offers(session, *load_offers_csv(demo_path("socialmap.csv")), now)
    sync_modules(session, *load_modules_csv(demo_path("academy.csv")), now)
    return report


# -- a year of case events -------------------------------------------------------------------------
# The demo's case-event history, so /cijfers and the weekly chart show figures instead of "<5".
# Plausible for Utrecht (../shared/domain/kpi_tables.md, Q2 2017 and Q3 2019): about 8.700 new
# cases a year over 18 teams, half of them zelfmelders, a first conversation after about 5 days
# on average (most teams within 5, a few over 10), about 8 in 10 closed cases able to carry on
# independently, 6 in 10 closed according to plan, a client grade around 7,6, Wat Telt used in
# a bit under half of the cases. Each team has its own size and speed, from a seeded generator:
# the same week always gives the same events.
DEMO_SEED = 2017
DEMO_CASE_PREFIX = "demo-"
DEMO_COORDINATORS = ("m027",)  # Eva Janssen, Lunetten: the demo asker's team, for /onthul
_MELDERS = (
    ("zelfmelder", 50),
    ("huisarts", 9),
    ("familie", 8),
    ("overig", 7),
    ("gemeente", 5),
    ("sociaal_netwerk", 4),
    ("woningcorporatie", 4),
    ("zorgpartner", 3),
    ("poh", 3),
    ("wijkverpleegkundige", 2),
    ("bt_jeugd_en_gezin", 2),
    ("veilig_thuis", 1),
    ("onbekend", 2),
)
_REDENEN = (
    ("doel_bereikt", 55),
    ("verwezen", 20),
    ("klant_gestopt", 12),
    ("verhuisd", 6),
    ("overleden", 2),
    ("overig", 5),
)
_LEEFGEBIEDEN = (
    ("geld", 30),
    ("geestelijke_gezondheid", 22),
    ("wonen", 20),
    ("relaties", 12),
    ("huishouden", 10),
    ("dagelijkse_activiteiten", 10),
    ("lichamelijke_gezondheid", 10),
    ("werk", 8),
    ("taal_en_leren", 6),
    ("gezin_en_opvoeden", 6),
    ("zingeving", 4),
    ("persoonlijke_verzorging", 4),
    ("verslaving", 3),
    ("justitie", 2),
)
# Fewer new cases in the summer holidays and around Christmas, more after New Year.
_SEASON = {1: 1.15, 2: 1.1, 3: 1.1, 7: 0.8, 8: 0.75, 12: 0.85}


def _pick(rng: Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _working_moment(rng: Random, day: date) -> datetime:
    minutes = rng.randint(8 * 60 + 30, 17 * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=AMSTERDAM)


def _later_working_day(day: date, days: float) -> date:
    later = day + timedelta(days=max(0, round(days)))
    while later.weekday() > 4:
        later += timedelta(days=1)
    return later


def demo_events(now: datetime, weeks: int = 52) -> list[dict[str, object]]:
    """The demo's case events of the `weeks` whole weeks before this one and this week up to
    `now`, in the JSONL form of `vraagbaak import events` (naive Amsterdam wall time).
    Deterministic: the same week gives the same events."""
    local_now = now.astimezone(AMSTERDAM)
    monday = local_now.date() - timedelta(days=local_now.weekday())
    first = monday - timedelta(weeks=weeks)
    events: list[dict[str, object]] = []
    for number, team in enumerate(all_teams(), start=1):
        rng = Random(f"{DEMO_SEED}:{team.name}:{first.isoformat()}")
        per_week = rng.uniform(5.0, 14.0)  # team size: about 260 to 730 new cases a year
        speed = rng.choice((3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 8.0, 11.0))  # days to kennismaking
        case = 0
        for week in range(weeks + 1):
            start = first + timedelta(weeks=week)
            expected = per_week * _SEASON.get(start.month, 1.0)
            for _ in range(max(0, round(rng.gauss(expected, expected**0.5)))):
                case += 1
                ref = f"{DEMO_CASE_PREFIX}{number:02d}{case:04d}"
                events += _case_events(rng, ref, team.name, start, speed)
    cutoff = local_now.replace(tzinfo=None)
    return [e for e in events if datetime.fromisoformat(str(e["occurred_at"])) <= cutoff]


def _case_events(
    rng: Random, ref: str, team: str, week: date, speed: float
) -> list[dict[str, object]]:
    """One case's events: aanmelding, usually a kennismaking and a start, sometimes the waiting
    list, Wat Telt and a HbH request, and an afsluiting when it has ended."""

    def event(kind: str, day: date, **fields: object) -> dict[str, object]:
        moment = _working_moment(rng, day).replace(tzinfo=None)
        head = {"case_ref": ref, "team": team, "kind": kind, "occurred_at": moment.isoformat()}
        return head | fields

    day = week + timedelta(days=rng.randint(0, 4))
    out = [event("aanmelding", day, melder=_pick(rng, _MELDERS))]
    if rng.random() < 0.08:
        return out  # never reached: no conversation yet, or the client did not come
    met = _later_working_day(day, rng.expovariate(1 / speed))
    out.append(event("kennismaking", met))
    if rng.random() < 0.1:
        wait_in = _later_working_day(met, 1)
        out.append(event("wachtlijst_in", wait_in))
        met = _later_working_day(wait_in, rng.uniform(7, 45))
        out.append(event("wachtlijst_uit", met))
    started = _later_working_day(met, rng.uniform(1, 10))
    out.append(event("start_ondersteuning", started))
    if rng.random() < 0.45:
        areas = sorted({_pick(rng, _LEEFGEBIEDEN) for _ in range(rng.randint(1, 4))})
        scores = {area: rng.randint(2, 9) for area in areas}
        out.append(event("wat_telt_meting", _later_working_day(started, 7), scores=scores))
    if rng.random() < 0.07:
        out.append(event("hbh_aanvraag", _later_working_day(started, rng.uniform(0, 20))))
    closed = _later_working_day(started, rng.lognormvariate(4.6, 0.7))  # median ~100 days
    reden = _pick(rng, _REDENEN)
    fields: dict[str, object] = {"reden": reden, "volgens_plan": rng.random() < 0.6}
    if rng.random() < 0.85:
        fields["zelfstandig_verder"] = rng.random() < (0.9 if reden == "doel_bereikt" else 0.6)
    if rng.random() < 0.35:
        fields["rapportcijfer"] = max(1, min(10, round(rng.gauss(7.6, 1.1))))
    fields["ervaringwijzer"] = rng.random() < 0.3
    out.append(event("afsluiting", closed, **fields))
    return out
