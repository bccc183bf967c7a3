"""Webhooks' settings (the ``webhooks`` app), star-imported by config/settings.py.

Every variable is listed with the others in the README's "Production" section.
"""

from config.env import env

# Seconds a receiver has to answer one POST (connecting, then each read).
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=10.0)
# After a failure, wait base × 2^(attempts-1) seconds, at most WEBHOOKS_RETRY_MAX_SECONDS…
WEBHOOKS_RETRY_BASE_SECONDS = env.int("WEBHOOKS_RETRY_BASE_SECONDS", default=60)
WEBHOOKS_RETRY_MAX_SECONDS = env.int("WEBHOOKS_RETRY_MAX_SECONDS", default=6 * 3600)
# …and give up on the delivery after this many attempts (20: about three days).
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=20)
# An endpoint failing without a success for this long is disabled, and staff told.
WEBHOOKS_DISABLE_AFTER_DAYS = env.int("WEBHOOKS_DISABLE_AFTER_DAYS", default=3)
# A pending delivery older than this is queued again by the sweep (its task was lost).
WEBHOOKS_SWEEP_AFTER_SECONDS = env.int("WEBHOOKS_SWEEP_AFTER_SECONDS", default=120)
# Plain http:// receivers: for development only (DEBUG); production sends over https.
WEBHOOKS_ALLOW_HTTP = env.bool("WEBHOOKS_ALLOW_HTTP", default=env.bool("DEBUG", default=True))
# Receivers on loopback, private or reserved addresses: never in production (a webhook would
# let staff reach the servers' own network). The tests' local receivers need it.
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)
# A file of certificate authorities to trust for receivers besides the system's (an
# organisation's own CA); empty: the system's alone.
WEBHOOKS_CA_FILE = env.str("WEBHOOKS_CA_FILE", default="")
