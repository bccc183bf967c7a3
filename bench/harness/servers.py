"""Each target of targets.json served by gunicorn (sync, on 127.0.0.1), started and stopped here."""

import http.client
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DJTOOL = HERE / "djtool.py"


def work_dir() -> Path:
    """$BENCH_WORK, by default ~/.cache/volontiers-bench: results, logs, the ceiling's uploads."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(os.path.abspath(os.environ.get("BENCH_WORK") or Path(cache) / "volontiers-bench"))


WORK = work_dir()


def expand(value: str, base: Path) -> str:
    """`@bench-work` (alone or starting a path) is $BENCH_WORK; other paths are relative to
    targets.json. abspath, not resolve(): a venv's python is a symlink to keep."""
    if value == "@bench-work" or value.startswith("@bench-work/"):
        return str(WORK) + value.removeprefix("@bench-work")
    return os.path.abspath(base / value)


class Server:
    def __init__(self, target: dict[str, Any], base: Path, port: int, workers: int) -> None:
        self.target, self.name, self.port = target, target["name"], port
        self.cwd = expand(target.get("cwd", "."), base)
        self.python = expand(target["python"], base)
        if not os.path.exists(self.python):
            raise SystemExit(f"{self.name}: no python at {self.python}")
        self.env = os.environ | {"PYTHONDONTWRITEBYTECODE": "1", "BENCH_WORK": str(WORK)}
        for key, value in target.get("env", {}).items():
            self.env[key] = expand(value, base) if value.startswith("@") else value
        self.scratch = expand(target["scratch"], base) if target.get("scratch") else None
        self.command = [self.python, "-m", "gunicorn", "-w", str(workers), "--timeout", "120"]
        self.command += ["-b", f"127.0.0.1:{port}", "--log-level", "warning", target["app"]]
        if re.search(r"--no-control-socket", self.gunicorn_help()):
            self.command.insert(3, "--no-control-socket")  # else it writes ~/.gunicorn/
        self.log = WORK / "logs" / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', self.name)}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.cookies: dict[str, str] = {}
        self.queries: dict[str, dict[str, Any]] = {}

    def gunicorn_help(self) -> str:
        done = subprocess.run(  # noqa: S603 -- the target's python
            [self.python, "-m", "gunicorn", "--help"], env=self.env, capture_output=True, timeout=60
        )
        if done.returncode:
            raise SystemExit(f"{self.name}: gunicorn is not usable: {done.stderr[-500:]!r}")
        return done.stdout.decode()

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("a") as log:
            self.process = subprocess.Popen(  # noqa: S603 -- the target's own gunicorn
                self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def wait_ready(self) -> None:
        """Wait (60 s at most) until the first URL answers."""
        assert self.process is not None  # noqa: S101 -- launched first
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn exited, see {self.log}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", self.target["urls"][0]["path"])
                connection.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name}: nothing answers on port {self.port}")

    def stop(self) -> None:
        """Stop this gunicorn, by its own process id, and wait for its workers to go."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def worker_peak_mb(self) -> float:
        """The largest peak RSS (VmHWM) among the workers."""
        if not self.process:
            return 0.0
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        peaks = []
        for pid in children.read_text().split() if children.exists() else []:
            status = Path(f"/proc/{pid}/status")
            for line in status.read_text().splitlines() if status.exists() else []:
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return round(max(peaks, default=0.0), 1)

    def user(self, url: dict[str, Any]) -> str | None:
        return url.get("login_user", self.target.get("login_user")) if url.get("auth") else None

    def cookie(self, url: dict[str, Any]) -> str:
        """The Cookie header of a URL: its user's session, and its own "cookie" if it has one."""
        user = self.user(url)
        return "; ".join(filter(None, [self.cookies[user] if user else "", url.get("cookie", "")]))

    def prepare(self) -> None:
        """One djtool run: the session cookies the URLs need, the SQL queries of each page."""
        settings = self.target.get("django_settings")
        urls = self.target["urls"]
        users = sorted({u for u in map(self.user, urls) if u})
        if not settings:
            if users:
                raise SystemExit(f'{self.name}: "auth" URLs need django_settings')
            return
        pages = [
            [self.user(u), u["path"], u.get("cookie", "")]
            for u in urls
            if u.get("mode", "load") == "load"
        ]
        done = subprocess.run(  # noqa: S603 -- the target's python, our script
            [self.python, str(DJTOOL), settings],
            input=json.dumps({"sessions": users, "queries": pages}),
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise RuntimeError(f"djtool failed for {self.name}: {done.stderr[-2000:]}")
        found = json.loads(done.stdout.strip().splitlines()[-1])
        self.cookies = found["sessions"]
        self.queries = {count["path"]: count for count in found["queries"]}
