"""Organisations post missions; volunteers apply (the seed's rows, the upload form's)."""

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Mission(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    location = models.CharField(max_length=120)
    summary = models.CharField(max_length=300)
    description = models.TextField()
    published = models.BooleanField(default=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        SHORTLISTED = "shortlisted", "Shortlisted"
        REJECTED = "rejected", "Rejected"

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE)
    full_name = models.CharField(max_length=200)
    email = models.EmailField()
    cover_letter = models.FileField(upload_to="letters/", blank=True)
    cv = models.FileField(upload_to="cvs/", blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW, db_index=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.full_name


class Submission(models.Model):
    """An application posted through the upload form: a table of its own, so that upload runs
    never change the seeded applications that the lists and exports read."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    full_name = models.CharField(max_length=200)
    email = models.EmailField()
    cover_letter = models.FileField(upload_to="letters/")
    cv = models.FileField(upload_to="cvs/")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.full_name
