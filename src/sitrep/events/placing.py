"""Where an event happened: the article's main country and place, and each draft's place.

The place of an event is the most precise place its own words are linked to; a vague one
(a country, "eastern Syria") takes a town or province named around it, and an unplaced event
the article's main place (headline and lead). Mixed into the coder (events/__init__.py); reads
``self.doc``, ``self.sdoc``, ``self.sents``, ``self.regions``, ``self.datelines``, ``self.drafts``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from spacy.tokens import Span as SpacySpan, Token

from ..geo.detect import site_words
from ..model import Place, Span
from .actors import ActorMatch
from .attribution import Attribution
from .background import in_background
from .candidates import _located, _token_of
from .clauses import clause_head, clause_tokens, tree_distance
from .drafts import _Draft, _fill, COUNTRY_AS_ACTOR_DEPS, LEAD_SENTENCES, MAX_PLACE_DISTANCE, REFINE_SENTENCES

# A town's name in capitals in mixed-case running text, followed by an agency, a comma, a dash or
# a capitalised word ("MOSCOW (Sputnik) Kurdish-led forces ...", "BEIRUT Syrian jets ..."), is a
# dateline: where the report was filed, not where the event happened. Lines that open with one
# are found by the events stage (drafts.DATELINE); these are the ones inside a flattened page.
# Set by reasoning, not tuned (3 letters: no acronym of two); re-run `sitrep eval fakes` and
# `sitrep eval batch` after changing.
FILED_FROM_AFTER = re.compile(r"^(\s*[(,\u2013\u2014-]|\s+[A-Z][a-z])")
FILED_FROM_FEATURES = {"city", "district"}
FILED_FROM_MIN_LETTERS = 3
# Places that stand for a whole province: the main place gives way to the dateline town inside it.
PROVINCE_FEATURES = {"admin1", "admin2"}
# The words that say where, as the place's evidence: the site (data/site_words.tsv) the toponym
# names the town of ("a hospital in Quetta", "the village of Teldau", "the Molenbeek neighbourhood
# of Brussels"), read up the parse through at most SITE_HOPS of these prepositions, and the larger
# places that qualify it
# ("Brussels, Belgium", "Mandera County in northeastern Kenya", "eastern Ukraine's Luhansk region").
# The coded location stays the most precise place; only the evidence span grows. Set by reading
# M2E2 dev sentences; re-run `sitrep eval m2e2` and `sitrep eval batch` after changing.
SITE_PREPS = {"in", "of", "outside", "near", "at", "inside"}
SITE_HOPS = 2
_QUALIFIER_GAP = re.compile(r"^\s*(?:,\s*)?(?:(?:in|of)\s+)?(?:the\s+)?(?:[a-z]+ern\s+)?"
                            r"(?:(?:province|governorate|region|state|county|district)\s+of\s+)?$")
_CONTAINER_GAP = re.compile(r"^['’]s\s+$")
_ADMIN_AFTER = re.compile(r"^\s+(?:province|governorate|region|county|district|state|oblast|prefecture)\b", re.I)
_WIDER = {"country", "admin1", "admin2", "region"}
# The parse roles in which a town named like an actor ("Damascus") is where, not who: the object
# of the event's verb ("entered Damascus") or of a preposition of place ("in Damascus"; not
# "protested by Damascus", "talks with Damascus"). Set by reasoning; re-run `sitrep eval fakes`
# and `sitrep eval batch` after changing.
TOWN_PREPS = {"in", "into", "at", "near", "outside", "inside", "around", "across", "toward", "towards", "on",
              "through", "within", "throughout"}


def _near_town(p: Place) -> bool:
    """A town the text says something happened near ("near Mosul", "north of Kirkuk"), not in."""
    return p.feature in {"city", "district", "landmark"} and (p.geo_precision or 1) > 1


def _origin(tok: Token) -> bool:
    """ "a hacker from Birmingham", "an operator from New Bedford": where someone comes from (a
    place after "from" that qualifies a noun), not where the event happened."""
    while tok.dep_ in {"conj", "appos"} and tok.head is not tok:
        tok = tok.head
    if tok.dep_ != "pobj" or tok.head.lower_ != "from":
        return False
    owner = tok.head.head
    if owner.pos_ == "ADV" and owner.head is not owner:  # "a teacher originally from New York"
        owner = owner.head
    return owner.pos_ in {"NOUN", "PROPN"}


def _origin_or_actor(coder: "PlacingMixin", p: Place) -> bool:
    tok = _token_of(coder.sdoc, p.start, p.end)
    return tok is not None and (_origin(tok) or coder._place_as_actor(p, tok))


def _within_origin(tok: Token | None) -> bool:
    """Whether a place is, or qualifies, where someone comes from: "a visitor from Sialkot in
    Punjab province" names neither town nor province as where the lynching happened."""
    if tok is not None and tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.pos_ in {"NOUN", "PROPN"} \
            and any(c.dep_ == "prep" and c.lower_ == "from" for c in tok.head.head.children):
        return True  # the parser hangs "in Punjab province" on the visitor from Sialkot
    for _ in range(4):
        if tok is None:
            return False
        if _origin(tok):
            return True
        if tok.head is tok:
            return False
        tok = tok.head
    return False


class PlacingMixin:
    """Where an event happened (a part of the coder)."""

    # --- document-level context ---
    def _main_country(self) -> str:
        counts = Counter(p.country for p in self.doc.places if p.country)
        return counts.most_common(1)[0][0] if counts else ""

    def _main_place(self) -> Place | None:
        # The dateline's city is where the report was filed; it is the main place only when the
        # article names no other.
        # Nor is where someone comes from ("a visitor from Sialkot in Punjab province").
        named = [p for p in self.doc.places if p.feature not in {"country", "demonym", "continent"} and p.lat is not None
                 and not in_background(self.regions, p.start) and not self._filed_from(p)
                 and not _within_origin(_token_of(self.sdoc, p.start, p.end))]
        if not named:
            # A country named as who acted ("UK-based", "Russia said") is not where things happen.
            named = [p for p in self.doc.places if p.lat is not None and p.feature != "demonym"
                     and not self._place_as_actor(p, _token_of(self.sdoc, p.start, p.end))]
        if not named:
            named = [p for p in self.doc.places if p.lat is not None and p.feature != "demonym"]
        if not named:
            return None
        counts = Counter(p.name or p.text for p in named)
        # A town or province before a vaguer place named more often ("northern Syria"), and one
        # in the country the article most often says things happen in ("an attack in Syria",
        # not "the US said") before one abroad.
        # The headline and lead tell the story the unplaced sentences go on about; a place named
        # often further down may be another incident's (a recap, a "meanwhile" paragraph). Their
        # places count as where things happen even in a sentence left unparsed (nlp.py).
        lead_end = self.sents[min(LEAD_SENTENCES, len(self.sents)) - 1].end_char if self.sents else 0
        lead = Counter(p.name or p.text for p in named if p.start < lead_end)
        where = Counter(p.country for p in self.doc.places if p.feature != "demonym"
                        and (_located(self.sdoc, p) or p.start < lead_end))
        best = max(named, key=lambda p: (bool(p.admin1), where[p.country], lead[p.name or p.text],
                                         counts[p.name or p.text], -p.start))
        if best.feature in PROVINCE_FEATURES:
            # A province named as a unit of government ("a federal takeover of security in the
            # Federal District") while the report was filed from its city: the city is where.
            filed = [p for p in self.doc.places if self._filed_from(p) and p.feature in FILED_FROM_FEATURES
                     and p.country == best.country and p.admin1 == best.admin1 and p.lat is not None]
            if filed:
                return filed[0]
        return best

    def _place(self, draft: _Draft, sent: SpacySpan, actors: list[ActorMatch], atts: list[Attribution]) -> None:
        doc = self.doc
        armed = [(a.start, a.end) for a in actors if a.entry.kind != "civilian"]
        sources = [(a.start, a.end) for a in atts]

        def placed(p: Place) -> bool:
            """A place at all: no demonym ("Kurdish fighters" says who, not where), no word of an
            armed actor's name, of background or of a dateline."""
            return p.lat is not None and p.feature != "demonym" and not any(
                b0 <= p.start < b1 and not self._town_not_actor(p, b0, b1) for b0, b1 in armed) \
                and not in_background(self.regions, p.start) and not self._filed_from(p)

        def usable(p: Place) -> bool:  # nor a source's words ("the city's media centre said")
            return placed(p) and not any(b0 <= p.start < b1 for b0, b1 in sources)

        def near(p: Place) -> bool:
            tok = _token_of(self.sdoc, p.start, p.end)
            return tok is not None and min(tree_distance(tok, h.token) for h in draft.hits) <= MAX_PLACE_DISTANCE \
                and not self._place_as_actor(p, tok) and not _within_origin(tok)

        inside = [p for p in doc.places if draft.start <= p.start < draft.end and usable(p) and near(p)]
        if not inside:
            inside = [p for p in doc.places if sent.start_char <= p.start < sent.end_char and usable(p) and near(p)]
        if inside:
            # Words of the event's own clause (and the trigger's phrase) come before a sub-clause
            # that may tell of something else ("began the day a ceasefire took effect in Lebanon").
            own = {t.i for h in draft.hits for t in clause_tokens(clause_head(h.token))} | \
                  {t.i for h in draft.hits for t in h.token.subtree}

            precise_in = {p.country for p in inside if p.admin1 and not _near_town(p)}

            def score(p: Place) -> tuple[int, int, int, int, int, int]:
                tok = _token_of(self.sdoc, p.start, p.end)
                dist = min(tree_distance(tok, h.token) for h in draft.hits) if tok is not None else 99
                elsewhere = int(tok is None or tok.i not in own)
                # A town or province before a region without one ("eastern Syria near Deir al-Zor"),
                # and the town itself before one it happened near ("the city of Tikrit near Samarra").
                near_only = int(_near_town(p) and p.country in precise_in)
                return (p.feature == "country", int(not p.admin1), elsewhere, near_only, dist,
                        abs(p.start - draft.hits[0].start))
            best = min(inside, key=score)
            if not (best.feature == "country" and score(best)[2]):  # a country named in another clause says little: fall back
                how = "place:in-clause" if draft.start <= best.start < draft.end else "place:in-sentence"
                if not best.admin1:
                    precise = self._precise_near(draft, best, placed)
                    main = None if precise else self._main_in(best)
                    how = "place:precise-nearby" if precise else "place:article-main-in-country" if main else how
                    best = precise or main or best
                elif _near_town(best):
                    # "in northern Idlib where dozens were killed in the town of Khan Sheikhoun": a town
                    # of the same province the sentence names exactly, though further in the parse.
                    town = next((p for p in doc.places if sent.start_char <= p.start < sent.end_char and usable(p)
                                 and p.admin1 == best.admin1 and p.country == best.country and not _near_town(p)
                                 and p.feature in {"city", "district", "landmark"} and p is not best
                                 and not _origin_or_actor(self, p)), None)
                    if town is not None:
                        best, how = town, "place:precise-in-sentence"
                own_words = sent.start_char <= best.start < sent.end_char
                draft.place = best
                draft.place_span = self._place_phrase(draft, best) if own_words else Span(best.start, best.end, "place")
                _fill(draft, how)
                return
        # "killed in an airstrike on a residential area in the city of X in Y province": a place the
        # event's own words say it happened in, further down the tree than MAX_PLACE_DISTANCE, is
        # still a better guess than the previous sentence's place or the article's.
        far = [p for p in doc.places if draft.start <= p.start < draft.end and p.admin1 and usable(p)
               and p.country == (self.country or p.country)
               and _located(self.sdoc, p, of_noun=True) and not self._place_as_actor(p, _token_of(self.sdoc, p.start, p.end))]
        if far:
            best = min(far, key=lambda p: abs(p.start - draft.hits[0].start))
            draft.place, draft.place_span = best, self._place_phrase(draft, best)
            _fill(draft, "place:in-sentence-far")
            return
        # A town or province the event's own clause names, though far from its words in the parse
        # (a long subject: "a mortar shell fired by gunmen on a camp in the countryside of Kandahar
        # left a child dead"), before the previous event's place: a second incident told in its own
        # sentence does not happen where the first did. Another clause's place ("fled to the area
        # east of Mosul") may be another thing's.
        clause = {t.i for h in draft.hits for t in clause_tokens(clause_head(h.token))} | \
                 {t.i for h in draft.hits for t in h.token.subtree}
        own = [p for p in doc.places if sent.start_char <= p.start < sent.end_char and p.admin1 and usable(p)
               and (p.country == (self.country or p.country) or _located(self.sdoc, p))  # "in the West Bank"
               and doc.text[p.end:p.end + 1] != "-"  # "Kirkuk-based"
               for tok in [_token_of(self.sdoc, p.start, p.end)]
               if (tok is None or tok.i in clause) and not self._place_as_actor(p, tok)]
        if own:
            best = min(own, key=lambda p: (int(_near_town(p)), abs(p.start - draft.hits[0].start)))
            draft.place, draft.place_span = best, self._place_phrase(draft, best)
            _fill(draft, "place:in-sentence-any")
            return
        prev = next((d for d in reversed(self.drafts) if draft.sent_index - d.sent_index <= 1 and d.place), None)
        if prev is not None and not self._paragraph_break(prev.end, draft.start):
            draft.place, draft.place_span = prev.place, prev.place_span
            _fill(draft, "place:previous-event")
        elif self.main_place is not None:
            # "missing ... in northern Benin" in a story whose most-named town is across the border:
            # the sentence's own region or country, vague as it is, before a town of another country.
            here = [p for p in doc.places if sent.start_char <= p.start < sent.end_char and usable(p)
                    and not _origin_or_actor(self, p)]
            if here and self.main_place.country not in {p.country for p in here}:
                best = min(here, key=lambda p: (p.feature == "country", not p.admin1, abs(p.start - draft.hits[0].start)))
                draft.place, draft.place_span = best, Span(best.start, best.end, "place")
                _fill(draft, "place:in-sentence-other-country")
                return
            draft.place = self.main_place
            draft.place_span = Span(self.main_place.start, self.main_place.end, "place")
            _fill(draft, "place:article-main")

    def _place_phrase(self, draft: _Draft, p: Place) -> Span:
        """The evidence span of the place: the toponym grown to the site it names and the larger
        places that qualify it (SITE_PREPS), never across the event's own words."""
        text, start, end = self.doc.text, p.start, p.end
        # A wider place, or the town a province is named after ("the province of Idlib").
        later = sorted((q for q in self.doc.places if q.start >= p.end and q.country == p.country
                        and (q.feature in _WIDER or q.name == q.admin1 == p.admin1)), key=lambda q: q.start)
        for q in later:
            if not _QUALIFIER_GAP.match(text[end:q.start]):
                break
            end = q.end
        admin = _ADMIN_AFTER.match(text[end:end + 16])
        end += admin.end() if admin else 0
        before = [q for q in self.doc.places if q.end <= p.start and q.feature in _WIDER and q.country == p.country
                  and _CONTAINER_GAP.match(text[q.end:p.start])]
        if before:
            start = before[0].start
        tok = _token_of(self.sdoc, p.start, p.end)
        hits = {h.token.i for h in draft.hits}
        sites = site_words()["any"]
        for _ in range(SITE_HOPS):
            if tok is None or tok.dep_ != "pobj" or tok.head.lower_ not in SITE_PREPS:
                break
            noun = tok.head.head
            named_site = noun.pos_ == "PROPN" and noun.ent_type_ not in {"PERSON", "NORP"}  # "the Government Center"
            site = named_site or bool({noun.lower_, noun.lower_[:-1]} & sites)  # no lemmatizer: "markets"
            if noun.pos_ not in {"NOUN", "PROPN"} or noun.i in hits or not site:
                break
            left = [c for c in noun.lefts if c.dep_ in {"compound", "amod"}]
            start = min(start, *(c.idx for c in left), noun.idx)
            tok = noun
        si = self._sentence_index(p.start)
        if si >= 0:
            sent = self.sents[si]  # the phrase stays in the toponym's sentence
            start, end = max(start, sent.start_char), min(end, sent.end_char)
        return Span(start, end, "place")

    def _precise_near(self, draft: _Draft, vague: Place, placed: Callable[[Place], bool]) -> Place | None:
        """The town or province of the vague place's country named closest to the event within
        REFINE_SENTENCES sentences: "eastern Syria" told more exactly nearby."""
        lo = self.sents[max(0, draft.sent_index - REFINE_SENTENCES)].start_char
        hi = self.sents[min(len(self.sents) - 1, draft.sent_index + REFINE_SENTENCES)].end_char
        country = vague.country or self.country
        near = [p for p in self.doc.places if lo <= p.start < hi and p.admin1 and p.country == country and placed(p)
                and not self._paragraph_break(min(p.start, draft.start), max(p.start, draft.start))]
        return min(near, key=lambda p: abs(p.start - draft.hits[0].start), default=None)

    def _main_in(self, vague: Place) -> Place | None:
        """The article's main place when it lies in the vague place's country ("an attack in
        Syria" in a story whose town is Khan Sheikhoun)."""
        main = self.main_place
        ok = main is not None and bool(main.admin1) and main.country == (vague.country or self.country)
        return main if ok else None

    def _filed_from(self, p: Place) -> bool:
        """A dateline's town: on a dateline the events stage found, or a town's name in capitals
        in mixed-case text followed by an agency, a comma, a dash or the next sentence."""
        if any(d0 <= p.start < d1 for d0, d1 in self.datelines):
            return True
        word = self.doc.text[p.start:p.end]
        return p.feature in FILED_FROM_FEATURES and word.isupper() and sum(c.isalpha() for c in word) >= FILED_FROM_MIN_LETTERS \
            and bool(FILED_FROM_AFTER.match(self.doc.text[p.end:p.end + 4]))

    def _town_not_actor(self, p: Place, start: int, end: int) -> bool:
        """A town whose bare name is also an actor's ("Damascus" for Syria's forces) is the place
        where the parse makes it one ("exploded in Damascus", "entered Damascus"), and the actor
        where it acts or qualifies ("Damascus said", "Damascus's jets", "Damascus-backed")."""
        if (start, end) != (p.start, p.end) or p.feature == "country":
            return False
        tok = _token_of(self.sdoc, p.start, p.end)
        if tok is None or self.doc.text[p.end:p.end + 1] == "-":
            return False
        while tok.dep_ in {"conj", "appos"} and tok.head is not tok:  # "Kabul and Tehran said"
            tok = tok.head
        return tok.dep_ == "dobj" or tok.dep_ == "pobj" and tok.head.lower_ in TOWN_PREPS

    def _place_as_actor(self, p: Place, tok: Token | None) -> bool:
        """A country, or a place abroad, named as who acted ("US-led", "Russia's jets", "Ankara
        shelled", "Washington said"), not where: the article's own towns stay places."""
        if p.feature != "country" and p.country == self.country:
            return False
        while tok is not None and tok.dep_ == "conj" and tok.head is not tok:  # "Washington and Paris say"
            tok = tok.head
        return self.doc.text[p.end:p.end + 1] == "-" or (tok is not None and tok.dep_ in COUNTRY_AS_ACTOR_DEPS)
