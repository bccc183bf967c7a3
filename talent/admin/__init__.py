"""Staff search in the admin ("Recherche dans le vivier"), invitations to apply sent from its
results, their list, and, on the application page, the invitation that brought it."""

from talent.admin import applications, search

__all__ = ["applications", "search"]
