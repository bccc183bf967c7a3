"""What the test suite runs on besides the code under test: real services and real files.

The fixtures live in the ``conftest.py`` files; the machinery behind them lives here, so a
test module holds its scenarios only. Every process started here is ours alone, on a spare
port, and stopped by its own process id: the machine's PostgreSQL and Redis are never touched.

- ``services``: is a service there (skip, or fail under ``REQUIRE_SERVICES=1``), spare ports,
  waiting for a condition.
- ``smtp``: a real SMTP server (aiosmtpd) that keeps what it receives, or refuses, or hangs.
- ``redis_server``: a private ``redis-server`` that can be paused, stopped and started again.
- ``celery_processes``: a real Celery worker, and a real ``celery beat``, on the test database.
- ``postgres``: a throwaway PostgreSQL cluster (initdb, pg_ctl) in its own folder.
- ``gunicorn``: the site served by gunicorn with the production settings.
- ``browser``: a signed-in browser's HTTP requests, as nginx passes them on.
- ``disk``: a small tmpfs, to fill up for full-disk tests.
- ``documents``: real PDF and DOCX bytes, and the files under a folder.
- ``factories``: data built across apps (a draft ready to send, many submitted applications).
"""
