"""Pages of owners' decisions, by topic (decisions, register, ballots, paper, count).
Thin: ask the permission, call a service or a selector, render. Refusals say why.
"""
