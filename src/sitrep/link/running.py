"""Running tolls told beside their incident: one event, not a second row of the same key.

"Air raids hit the city ... a total of 33 people died": an article tells an incident and the
tally it gives for that place and day. Coreference keeps cumulative and incident mentions apart
(coref.py ``conflict``), so such an article gave two rows of one sub-type, place and date
window. This pass runs after clustering (coref.py ``cluster_with_reasons``) and folds the tally
into its incident.
"""

from __future__ import annotations

from collections import defaultdict

from ..model import Mention
from .coref import RULE_SAME_ARTICLE, Edge, _View, conflict

RUNNING_REASON = "a running toll told with its incident: same article, sub-type, place and date window"


def attach_running_tolls(views: list[_View], clusters: list[list[Mention]],
                         why: dict[str, list[Edge]]) -> tuple[list[list[Mention]], dict[str, list[Edge]]]:
    """Fold each running toll into the incident its article tells at the same place and date window.

    "Air raids hit the city ... a total of 33 people died": the tally (a cumulative toll, numbers.py)
    and the incident are ACLED's one unit (one sub-type, place, day), yet coreference keeps
    cumulative and incident mentions apart, so the article gave two rows of one key (FA-KES dev:
    14 of 111 duplicate rows). After clustering, a cluster of running tolls all from one article
    joins the incident cluster holding a mention of that article with the very same date window
    of its own (a tally over other days, "since Wednesday", stays apart; so does one neither
    mention dates, which may be the campaign's tally beside a single attack) that nothing else rules out
    (``conflict`` with ``running``); the nearest such mention in the text wins. This runs after
    clustering so a tally never blocks its incident from joining other articles' reports; the
    tally's figures stay claims of their own (tolls.py ``RUNNING_TOLL_FIELD``), never the toll.
    """
    by_id = {v.m.id: v for v in views}
    incident_of: dict[str, int] = {}  # mention id -> index of its incident cluster
    for i, c in enumerate(clusters):
        if any(not m.fatalities.cumulative for m in c):
            for m in c:
                incident_of[m.id] = i
    by_doc: dict[str, list[_View]] = defaultdict(list)
    for mid in incident_of:
        v = by_id[mid]
        by_doc[v.m.document_id].append(v)
    into: dict[int, int] = {}
    for j, c in enumerate(clusters):
        docs = {m.document_id for m in c}
        if any(not m.fatalities.cumulative for m in c) or len(docs) != 1:
            continue
        tallies = [by_id[m.id] for m in c]
        fits = [v for v in by_doc.get(next(iter(docs)), [])
                if v.window is not None and all(t.window == v.window and not conflict(t, v, running=True) for t in tallies)
                and not any(conflict(t, by_id[m.id], running=True) for t in tallies
                            for m in clusters[incident_of[v.m.id]])]
        if fits:
            near = min(fits, key=lambda v: (min(abs(v.m.start - t.m.start) for t in tallies), v.m.id))
            into[j] = incident_of[near.m.id]
    if not into:
        return clusters, why
    out_why = dict(why)
    merged = [list(c) for c in clusters]
    for j, i in sorted(into.items()):
        key_i, key_j = min(m.id for m in merged[i]), min(m.id for m in clusters[j])
        edges = out_why.pop(key_i, []) + out_why.pop(key_j, [])
        a, b = sorted((min(m.id for m in clusters[i]), key_j))
        edges.append(Edge(RULE_SAME_ARTICLE, a, b, RUNNING_REASON))
        merged[i].extend(clusters[j])
        out_why[min(m.id for m in merged[i])] = edges
    return [c for k, c in enumerate(merged) if k not in into], out_why
