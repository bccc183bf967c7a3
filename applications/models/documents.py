"""The files sent with an application (CV, letter, files answering questions), and their text
read for staff search."""

import uuid
from typing import ClassVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.documents import EXTENSIONS
from volunteers.models import TextState


def document_upload_to(document: "ApplicationDocument", filename: str) -> str:
    # Random names only: no candidate name and no original file name on disk.
    return f"applications/{document.public_id.hex[:2]}/{document.public_id.hex}{document.extension}"


class ApplicationDocument(models.Model):
    """A file sent with an application (the version sent, even if the profile's CV changes)."""

    class Kind(models.TextChoices):
        CV = "cv", _("CV")
        LETTER = "letter", _("lettre de motivation")
        SUPPORTING = "supporting", _("pièce justificative")  # the answer to a file question

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("candidature"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("fichier"), upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("nom d'origine"), max_length=120)
    file_type = models.CharField(_("format"), max_length=8)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    # Its text, read by the worker for staff search (talent.extraction); gone with the row.
    text = models.TextField(_("texte"), blank=True, editable=False)
    text_state = models.CharField(
        _("lecture du texte"),
        max_length=12,
        choices=TextState.choices,
        default=TextState.PENDING,
        editable=False,
    )
    text_read_at = models.DateTimeField(_("texte lu le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=~models.Q(kind="supporting"),
                name="one_document_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("applications:document", kwargs={"public_id": self.public_id})

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.file_type, "")
