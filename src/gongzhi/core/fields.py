"""Model fields for free text that may be shown to the public.

Whatever service, import or admin form writes them, ID and mobile numbers are masked
(``core.masking``) before the value reaches the database: what is stored is what is
shown, and no later page, export or PDF can leak what was never kept. A model whose
text goes public declares it with these fields; nothing else needs remembering.
"""

from __future__ import annotations

from django.db import models

from .masking import mask_text


class _Masked:
    def __init__(self, *args, markup: bool = False, **kwargs) -> None:
        self.markup = markup
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.markup:
            kwargs["markup"] = True
        return name, path, args, kwargs

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if isinstance(value, str) and value:
            return mask_text(value, markup=self.markup)
        return value

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, str) and value:
            value = mask_text(value, markup=self.markup)
            setattr(model_instance, self.attname, value)
        return value


class PublicTextField(_Masked, models.TextField):
    """A TextField whose ID and mobile numbers are masked before storage."""


class PublicCharField(_Masked, models.CharField):
    """A CharField whose ID and mobile numbers are masked before storage."""
