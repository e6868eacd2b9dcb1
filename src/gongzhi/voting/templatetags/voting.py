from django import template

from gongzhi.registry.models import UnitUse

from ..models import RULE_LEGAL_NAMES, RulePreset

register = template.Library()


@register.filter
def rule_name(key: str) -> str:
    """A threshold preset in the words of the law: 民法典第二百七十八条第二款…"""
    try:
        return str(RULE_LEGAL_NAMES[RulePreset(key)])
    except ValueError:
        return key


@register.filter
def use_labels(uses) -> str:
    """Space types in the reader's language: "parking" -> 车位."""
    labels = dict(UnitUse.choices)
    return "、".join(str(labels.get(use, use)) for use in uses or ())
