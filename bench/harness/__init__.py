"""The benchmark's driver: our site and the ceiling (bench/ceiling/) side by side, in one run.

`python -m bench.harness bench/targets.json [--quick]`, from the repository's root (bench/run.sh
does it). Modules: suite (the run), servers (gunicorn and djtool per target), load (wrk),
upload (multipart posts of a form), report (the tables and the goals), djtool (run with a
target's own python: SQL queries per page, session cookies).
"""
