"""The database connection: ``DATABASE_URL`` (SQLite in var/ for development), how long a
connection is kept, and, on PostgreSQL, the query compiler's JIT turned off.

PostgreSQL compiles a query whose estimated cost passes ``jit_above_cost`` to machine code
before running it. Our queries are short; compiling took longer than running: the staff
search spent half a second compiling a query that runs in 60 ms, and with it off the
dashboard's cold views and the applications admin at 1,000,000 rows were 0 to 25 % faster
(bench/dashboard_bench.py and bench/admin_bench.py, run both ways). ``DATABASE_JIT=1``
leaves PostgreSQL's own setting. PgBouncer refuses a connection that sends options (or, with
``ignore_startup_parameters = options``, drops them silently): behind it, or any pooler, set
``DATABASE_JIT=1`` and ``ALTER ROLE <the site's role> SET jit = off`` (deploy/README.md).
"""

from pathlib import Path
from typing import Any

from config.env import env


def databases(var_dir: Path) -> dict[str, dict[str, Any]]:
    if not env.str("DATABASE_URL", default=""):
        var_dir.mkdir(exist_ok=True)  # the development SQLite file lives in var/
    default = env.db_url("DATABASE_URL", default=f"sqlite:///{var_dir / 'volontiers.sqlite3'}")
    default["ATOMIC_REQUESTS"] = False
    default["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    default["CONN_HEALTH_CHECKS"] = True
    # Behind a pooler in transaction mode (PgBouncer): CONN_MAX_AGE=0 and this on, since the
    # exports read through server-side cursors, which such a pooler cannot keep.
    default["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
    postgresql = default["ENGINE"].endswith(("postgresql", "postgis"))
    if postgresql and not env.bool("DATABASE_JIT", default=False):
        options = default.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return {"default": default}
