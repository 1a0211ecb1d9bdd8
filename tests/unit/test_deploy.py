"""The deployment files (deploy/, .env.example) run only what the suite covers outside a
container: `vraagbaak serve --http` and `vraagbaak db upgrade`, probes on /healthz and /readyz,
settings the application knows; and they run it as an unprivileged user. No image can be built
on these machines, so this is the lint the files get."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import Settings
from bot.workers.voice import VoiceSettings

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy"
HELM = DEPLOY / "helm" / "vraagbaak"


def _runs(args: list[str]) -> None:
    """A command the image runs is a real `vraagbaak` command (its help answers)."""
    result = CliRunner().invoke(app, [*args, "--help"])
    assert result.exit_code == 0, (args, result.output)


def _final_stage(dockerfile: str) -> str:
    return dockerfile.split("\nFROM ")[-1]


def test_the_image_runs_the_http_server_as_an_unprivileged_user_with_a_healthcheck() -> None:
    final = _final_stage((DEPLOY / "Dockerfile").read_text(encoding="utf-8"))
    user = re.search(r"^USER (\S+)$", final, re.M)
    assert user is not None and user[1] not in ("root", "0")
    assert "HEALTHCHECK" in final and "/healthz" in final
    entry = re.search(r'^ENTRYPOINT \["vraagbaak"\]$', final, re.M)
    command = re.search(r"^CMD (\[.*\])$", final, re.M)
    assert entry is not None and command is not None
    args = yaml.safe_load(command[1])
    assert args == ["serve", "--http"]
    _runs(args)
    assert "HF_HUB_OFFLINE=1" in final  # nothing is downloaded at run time


def test_compose_migrates_before_serving_and_reads_its_secrets_from_env() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["vraagbaak"]["command"] == ["serve", "--http"]
    wait = services["vraagbaak"]["depends_on"]["migrate"]["condition"]
    assert wait == "service_completed_successfully"
    for name in ("migrate", "vraagbaak"):
        _runs(services[name]["command"])


def test_the_helm_chart_probes_health_and_readiness_and_migrates_in_a_hook() -> None:
    values = yaml.safe_load((HELM / "values.yaml").read_text(encoding="utf-8"))
    assert values["replicas"] >= 2 and values["existingSecret"]
    deployment = (HELM / "templates" / "deployment.yaml").read_text(encoding="utf-8")
    assert "path: /healthz" in deployment and "path: /readyz" in deployment
    assert "runAsNonRoot: true" in deployment and "readOnlyRootFilesystem: true" in deployment
    job = (HELM / "templates" / "migrate-job.yaml").read_text(encoding="utf-8")
    assert 'args: ["db", "upgrade"]' in job and "pre-upgrade" in job
    for template in ("deployment.yaml", "migrate-job.yaml"):
        text = (HELM / "templates" / template).read_text(encoding="utf-8")
        for args in re.findall(r"args: (\[.*\])", text):
            _runs(yaml.safe_load(args))
    assert yaml.safe_load((HELM / "Chart.yaml").read_text(encoding="utf-8"))["apiVersion"] == "v2"


def test_env_example_names_only_known_settings_and_holds_no_secret() -> None:
    known = {f"VRAAGBAAK_{name.upper()}" for name in Settings.model_fields} | {
        f"VRAAGBAAK_VOICE_{name.upper()}" for name in VoiceSettings.model_fields
    }
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    pairs = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert set(pairs) <= known, sorted(set(pairs) - known)
    secrets = ("TOKEN", "SECRET", "PASSWORD", "HASH_KEY")
    assert all(not value for key, value in pairs.items() if key.endswith(secrets))
    assert shlex.split(pairs["VRAAGBAAK_DATABASE_URL"])[0].startswith("postgresql+psycopg://")


def test_what_the_image_prepares_at_build_time_exists() -> None:
    """The build stage calls into the package (deduce's cache, the voice model): those names
    must exist, or the image build fails where no test runs."""
    import importlib

    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    imports = re.findall(r"from ([\w.]+) import (\w+)", dockerfile)
    assert ("knowledge.privacy.deduce_backend", "shared_deduce") in imports
    for module, name in imports:
        assert callable(getattr(importlib.import_module(module), name, None)), (module, name)
