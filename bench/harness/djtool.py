"""Run by the harness with a target's own python, from its directory: one Django start per target.

  python djtool.py SETTINGS_MODULE < plan.json

The plan is {"sessions": [user, ...], "queries": [[user or null, path, cookie], ...]}; a user
is the value of the user model's USERNAME_FIELD, a cookie "name=value" or "" (a URL's own).
Prints one JSON line: {"sessions": {user: "name=value" cookie}, "queries": [{"user", "path",
"status", "queries", "bytes"}]}, each page's SQL queries counted by CaptureQueriesContext on
its second request (the first warms Django's caches).
"""

import json
import os
import sys
from typing import Any


def main() -> None:
    sys.path.insert(0, os.getcwd())
    os.environ["DJANGO_SETTINGS_MODULE"] = sys.argv[1]
    plan = json.load(sys.stdin)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients: dict[str | None, Client] = {}

    def client(user: str | None) -> Client:
        if user not in clients:
            clients[user] = Client(HTTP_HOST="127.0.0.1")
            if user:
                model = get_user_model()
                found = model._default_manager.get(**{model.USERNAME_FIELD: user})
                clients[user].force_login(found)
        return clients[user]

    name = settings.SESSION_COOKIE_NAME
    sessions = {u: f"{name}={client(u).cookies[name].value}" for u in plan["sessions"]}
    counts: list[dict[str, Any]] = []
    for user, path, cookie in plan["queries"]:
        browser = client(user)
        if cookie:
            browser = Client(HTTP_HOST="127.0.0.1")  # a URL's own cookie: a browser of its own
            browser.cookies.load(cookie)
        browser.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(path)
            body = response.getvalue()
        counts.append(
            {"user": user, "path": path, "status": response.status_code, "queries": len(queries)}
            | {"bytes": len(body)}
        )
    print(json.dumps({"sessions": sessions, "queries": counts}))


if __name__ == "__main__":
    main()
