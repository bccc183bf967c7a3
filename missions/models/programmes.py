"""Programmes and partners: what a mission belongs to, and who works on it with the host."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Programme(models.Model):
    """A funding or coordination programme a mission belongs to (V-Francophonie, Milango…)."""

    slug = models.SlugField(_("identifiant"), unique=True)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    min_age = models.PositiveSmallIntegerField(
        _("âge minimum"), null=True, blank=True, help_text=_("À la date prévue du contrat.")
    )
    max_age = models.PositiveSmallIntegerField(
        _("âge maximum"), null=True, blank=True, help_text=_("À la date prévue du contrat.")
    )
    admitted_nationalities = CountryField(
        _("nationalités admises"),
        multiple=True,
        blank=True,
        help_text=_("Vide : toutes les nationalités (hors celles exclues par la mission)."),
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """An organisation working with the host on a mission (COMDEV Africa, CRESS Mayotte…)."""

    slug = models.SlugField(_("identifiant"), unique=True)
    name = models.CharField(_("nom"), max_length=200)
    website = models.URLField(_("site web"), blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")

    def __str__(self) -> str:
        return self.name
