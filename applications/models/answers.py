"""A candidate's answers to the mission's own questions (``missions.models.Question``)."""

from typing import ClassVar

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from applications.models.application import Application
from applications.models.documents import ApplicationDocument
from missions.models import Question, QuestionKind


class Answer(models.Model):
    """A candidate's answer to one of the mission's questions.

    A draft's answers follow the questions; on submission each answer is completed with its
    question as it stood (labels, type, the answer's text in both languages), so that editing
    or deleting the question later never changes what a submitted application said.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="answers", verbose_name=_("candidature")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("question"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("type"), max_length=12, choices=QuestionKind.choices)
    label_fr = models.CharField(_("question (français)"), max_length=300)
    label_en = models.CharField(_("question (anglais)"), max_length=300)
    # The answer as data: text, a number, "yes"/"no", a choice's value or a list of them, an
    # ISO date, a country code, {"language": "wo", "level": "B1"}; None for a file.
    value = models.JSONField(_("réponse"), null=True, blank=True)
    text_fr = models.TextField(_("réponse (français)"), blank=True)
    text_en = models.TextField(_("réponse (anglais)"), blank=True)
    # DO_NOTHING: documents are deleted in bulk without reading answers first (one query);
    # a supporting file is deleted only with or after its answer (the constraint is deferred).
    document = models.OneToOneField(
        ApplicationDocument,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="answer",
        verbose_name=_("pièce jointe"),
    )
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer_each"),
        ]
        indexes: ClassVar = [
            # The changelist's filters: the applications that gave this answer to this question.
            models.Index(fields=["question", "application"], name="answer_question_application"),
        ]

    def __str__(self) -> str:
        return f"{self.label_fr} : {self.text_fr}"

    def label(self, language: str) -> str:
        return self.label_en if language == "en" and self.label_en else self.label_fr

    def text(self, language: str) -> str:
        return self.text_en if language == "en" and self.text_en else self.text_fr

    @property
    def shown_label(self) -> str:
        """The question in the active language (for templates)."""
        return self.label(get_language() or "fr")

    @property
    def shown_text(self) -> str:
        return self.text(get_language() or "fr")
