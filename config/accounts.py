"""Account settings (django-allauth, django-axes), star-imported by config/settings.py.

Kept apart only to keep settings.py readable; every environment variable they read is
listed with the others in the README's "Production" section.
"""

import datetime as dt

from config.env import env

# Accounts (django-allauth): the e-mail is the identifier; a code sent by e-mail verifies it
# and signs in (a password is optional). Returning candidates use a password or a code.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1", "password2"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Volontiers] "
# Brute-force protection: allauth's rate limits, kept in the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "volunteers.adapters.AccountAdapter"
# …and a lockout kept in the database (django-axes), which holds while the cache is down and
# the limits above fail open; a code's tries are counted by allauth in the session.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "volunteers.lockout.attempted_login"
AXES_CLIENT_IP_CALLABLE = "core.security.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # failed attempts only: no log of every successful sign-in
AXES_LOCKOUT_CALLABLE = "volunteers.lockout.lockout_response"
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
