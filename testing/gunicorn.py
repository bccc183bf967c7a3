"""The site served by gunicorn with the production settings, as deploy/ runs it.

Everything comes from an environment built from nothing (``production_env``), so that no
variable of the test run leaks in; gunicorn is ours alone and stopped by its process id.
"""

import http.client
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def production_env(
    *,
    host: str,
    database_url: str,
    cache_url: str,
    broker_url: str,
    work: Path,
    port: int,
    workers: int,
) -> dict[str, str]:
    """The environment /etc/volontiers/env would give, with the test's database and folders.

    Built from nothing but PATH and HOME, so that no variable of the test run leaks in.
    """
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": host,
        "SITE_URL": f"https://{host}",
        "CSRF_TRUSTED_ORIGINS": f"https://{host}",
        "TRUSTED_PROXY_COUNT": "1",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "CELERY_BROKER_URL": broker_url,
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "STATIC_ROOT": str(work / "static"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
    }


def env_on_test_database(
    *, host: str, redis_url: str, redis_dbs: tuple[int, int], work: Path, port: int, workers: int
) -> dict[str, str]:
    """``production_env`` on the test run's own database (pytest-django's, as Django is
    connected to it now), the cache and the broker on two numbered databases of its Redis."""
    from django.db import connection

    database = connection.settings_dict
    redis_base = redis_url.rsplit("/", 1)[0]
    (work / "private").mkdir(exist_ok=True)
    return production_env(
        host=host,
        database_url=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        cache_url=f"{redis_base}/{redis_dbs[0]}",
        broker_url=f"{redis_base}/{redis_dbs[1]}",
        work=work,
        port=port,
        workers=workers,
    )


def manage(env: dict[str, str], *arguments: str) -> str:
    """Run manage.py with the production environment; return what it printed."""
    done = subprocess.run(  # noqa: S603 -- our own manage.py, fixed arguments
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, f"manage.py {arguments[0]} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


@contextmanager
def collecting_static(env: dict[str, str]) -> Iterator[None]:
    """Run collectstatic while the block runs (DEBUG=0 serves hashed files from a manifest)."""
    collect = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield
    finally:
        _out, collect_errors = collect.communicate(timeout=120)
    assert collect.returncode == 0, collect_errors.decode()


def worker_pids(master: int) -> set[int]:
    """The gunicorn master's children (its workers), from /proc."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            after_name = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(after_name[1]) == master:
            children.add(int(stat.parent.name))
    return children


def ping(port: int, host: str) -> bool:
    """Whether the site answers ``/ping`` on ``port``, asked as nginx would ask."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/ping", headers={"Host": host, "X-Forwarded-Proto": "https"})
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@dataclass
class Gunicorn:
    """gunicorn serving the site on 127.0.0.1:``port``, its output in ``log``."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@contextmanager
def serving(env: dict[str, str], *, port: int, log: Path, workers: int) -> Iterator[Gunicorn]:
    """gunicorn with deploy/gunicorn.conf.py, once it answers and has all its workers."""
    host = env["ALLOWED_HOSTS"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "deploy/gunicorn.conf.py",
                "config.wsgi",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    web = Gunicorn(process, port, log)
    try:
        deadline = time.monotonic() + 30
        while not (ping(port, host) and len(worker_pids(process.pid)) == workers):
            assert process.poll() is None, f"gunicorn exited:\n{web.log_tail()}"
            assert time.monotonic() < deadline, f"gunicorn did not start:\n{web.log_tail()}"
            time.sleep(0.1)
        yield web
    finally:
        process.terminate()  # our own gunicorn, by its process id: a graceful stop
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
