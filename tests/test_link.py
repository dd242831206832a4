"""Linking: copied text, event coreference, tolls, contested events, stories, linked dating.

Inputs are built by hand (sentences written for these tests), as stored Documents come back:
offsets, sentences, places and mentions, no spaCy Doc.
"""

from __future__ import annotations

import random
import re
import time

import pytest

from sitrep.link import link_corpus
from sitrep.link.building import build_event
from sitrep.link.reuse import STOCK_WEIGHT, find_text_reuse
from sitrep.model import Claim, DateWindow, Document, Fatalities, Mention, Place, Span
from sitrep.taxonomy import EVENT_TYPE_OF, SubEventType

ALEPPO = (36.20, 37.13)
ALEPPO_WEST = (36.21, 37.11)
IDLIB = (35.93, 36.63)


def make_doc(doc_id: str, text: str, published: str | None = None, ents: list[tuple[str, str]] = ()) -> Document:
    """A stored-looking Document: sentences split on full stops, entities located by string."""
    sentences = [Span(m.start(), m.end(), "sent") for m in re.finditer(r"[^.\n]+[.]?", text) if m.group().strip()]
    entities = []
    for name, label in ents:
        for m in re.finditer(re.escape(name), text):
            entities.append(Span(m.start(), m.end(), label))
    pub = DateWindow(published, published, "metadata", "test") if published else DateWindow()
    return Document(id=doc_id, source=f"{doc_id}.txt", sources=[f"{doc_id}.txt"], text=text,
                    title=text.split("\n")[0], sentences=sentences, entities=entities, published=pub)


def add_mention(doc: Document, quote: str, sub: str, when: tuple[str, str] | None, where: tuple[float, float] | None,
                name: str = "Aleppo", precision: int = 1, low: int | None = None, cumulative: bool = False,
                contested: bool = False, claims: list[Claim] = (), actors: list[str] = ()) -> Mention:
    start = doc.text.index(quote)
    etype = str(EVENT_TYPE_OF[SubEventType(sub)])
    place = None
    if where:
        place = Place(doc.id, start, start + len(name), name, name=name, country="SY", admin1=name,
                      lat=where[0], lon=where[1], feature="city", geo_precision=precision)
    date = DateWindow(when[0], when[1], "content", "test", 1) if when else DateWindow()
    m = Mention(id=f"{doc.id}-{start}", document_id=doc.id, start=start, end=start + len(quote), event_type=etype,
                sub_event_type=sub, actors=list(actors), place=place, date=date,
                fatalities=Fatalities(low=low, high=low, cumulative=cumulative), claims=list(claims),
                contested=contested)
    doc.mentions.append(m)
    return m


WIRE = ("Government warplanes pounded the western districts of the city through the night, "
        "hitting a bakery and two schools, according to a monitoring group based abroad.")


def strike_corpus() -> list[Document]:
    """Three outlets, one air strike on Aleppo on 30 November; separate Idlib strikes on two days."""
    a = make_doc("a", f"Jets strike Aleppo\nJets struck the western suburb of Aleppo on Saturday, killing 4. {WIRE} "
                      "There was no immediate comment from the defence ministry.", "2024-11-30")
    b = make_doc("b", f"Aleppo bombed at dawn\nWarplanes bombed neighbourhoods of western Aleppo at dawn on Saturday, "
                      f"and rescuers said 9 people died. {WIRE}", "2024-11-30")
    c = make_doc("c", "Strikes on Idlib\nAircraft hit a market in Idlib on Sunday, killing 7 people. "
                      "On Friday planes had also hit a school in Idlib, killing 4 civilians.", "2024-12-02")
    add_mention(a, "Jets struck the western suburb of Aleppo on Saturday", "Air/drone strike",
                ("2024-11-30", "2024-11-30"), ALEPPO, low=4)
    add_mention(b, "Warplanes bombed neighbourhoods of western Aleppo at dawn on Saturday", "Air/drone strike",
                ("2024-11-30", "2024-11-30"), ALEPPO_WEST, low=9)
    add_mention(c, "Aircraft hit a market in Idlib on Sunday", "Air/drone strike",
                ("2024-12-01", "2024-12-01"), IDLIB, name="Idlib", low=7)
    add_mention(c, "On Friday planes had also hit a school in Idlib", "Air/drone strike",
                ("2024-11-29", "2024-11-29"), IDLIB, name="Idlib", low=4)
    return [a, b, c]


def test_link_reuse_finds_copied_passages_and_discounts_stock_phrases():
    a, b, _ = strike_corpus()
    reuse = find_text_reuse([a, b])
    wire = [r for r in reuse if "bakery" in r.text]
    assert len(wire) == 1 and sorted(wire[0].documents) == ["a", "b"] and wire[0].weight == 1.0
    # Paraphrased first sentences are not copies.
    assert not any("Saturday" in r.text for r in reuse)


def test_link_reuse_reports_stock_phrase_with_low_weight():
    a = make_doc("a", "One story\nRebels said they took the hill after a long fight in the valley. "
                      "There was no immediate comment from the Russian military.")
    b = make_doc("b", "Another story\nA fire destroyed three shops in the old market on Tuesday evening. "
                      "There was no immediate comment from the Russian military.")
    reuse = find_text_reuse([a, b])
    assert len(reuse) == 1 and reuse[0].weight == STOCK_WEIGHT


def test_link_merges_one_strike_reported_by_two_outlets():
    result = link_corpus(strike_corpus())
    aleppo = [e for e in result.events if e.location and e.location.name == "Aleppo"]
    assert len(aleppo) == 1
    ev = aleppo[0]
    assert {m.document_id for m in ev.mentions} == {"a", "b"}
    # Per-source figures side by side; the event's toll spans them.
    assert sorted(c.value for c in ev.claims if c.field == "fatalities") == ["4", "9"]
    assert (ev.fatalities.low, ev.fatalities.high) == (4, 9)
    assert all(m.event_id == ev.id for m in ev.mentions)


def test_link_keeps_strikes_on_different_days_apart():
    result = link_corpus(strike_corpus())
    idlib = [e for e in result.events if e.location and e.location.name == "Idlib"]
    assert sorted(e.date.earliest for e in idlib) == ["2024-11-29", "2024-12-01"]


def test_link_never_adds_cumulative_toll_to_incident():
    doc = make_doc("d", "Toll rises\nA strike on Idlib on Sunday killed 7. Since Wednesday strikes have killed 56 people.",
                   "2024-12-02")
    add_mention(doc, "A strike on Idlib on Sunday killed 7", "Air/drone strike", ("2024-12-01", "2024-12-01"),
                IDLIB, name="Idlib", low=7)
    add_mention(doc, "Since Wednesday strikes have killed 56 people", "Air/drone strike",
                ("2024-11-27", "2024-12-01"), IDLIB, name="Idlib", low=56, cumulative=True)
    result = link_corpus([doc])
    assert len(result.events) == 2
    incident = [e for e in result.events if not e.fatalities.cumulative]
    assert incident[0].fatalities.high == 7


def test_link_keeps_claim_and_denial_and_marks_contested():
    a = make_doc("a", "Siege broken\nRebels said they broke the siege of Aleppo on Saturday.", "2016-08-07")
    b = make_doc("b", "Army denies\nThe army denied that rebels broke the siege of Aleppo on Saturday.", "2016-08-07")
    add_mention(a, "Rebels said they broke the siege of Aleppo on Saturday", "Non-state actor overtakes territory",
                ("2016-08-06", "2016-08-06"), ALEPPO, actors=["Rebels"],
                claims=[Claim("Rebels", "a", 12, 40, "event", "siege broken", "asserts")])
    add_mention(b, "The army denied that rebels broke the siege of Aleppo on Saturday",
                "Non-state actor overtakes territory", ("2016-08-06", "2016-08-06"), ALEPPO, actors=["Rebels"],
                contested=True, claims=[Claim("army", "b", 12, 30, "event", "siege broken", "denies")])
    result = link_corpus([a, b])
    assert len(result.events) == 1
    ev = result.events[0]
    assert ev.contested
    assert sorted(c.stance for c in ev.claims) == ["asserts", "denies"]


def _campaign_docs() -> list[Document]:
    """Two air campaigns on one city eight years apart, told in nearly the same words."""
    ents = [("Aleppo", "GPE"), ("Russian", "NORP"), ("Syrian", "NORP")]
    texts = {
        "old1": ("2016-08-07", "Syrian and Russian jets bomb Aleppo\nSyrian and Russian jets bombed rebel districts of "
                               "Aleppo after rebels broke the siege of the south-west of the city."),
        "old2": ("2016-08-08", "Russian jets pound Aleppo\nRussian and Syrian aircraft pounded Aleppo as rebels held "
                               "the corridor they opened in the south-west of the city."),
        "new1": ("2024-11-30", "Syrian and Russian jets strike Aleppo\nSyrian and Russian jets struck rebel fighters in "
                               "Aleppo after the insurgents entered the city centre in a surprise offensive."),
        "new2": ("2024-12-01", "Russian jets hit Aleppo\nRussian and Syrian warplanes hit Aleppo a day after insurgents "
                               "took the city centre in their offensive."),
    }
    return [make_doc(k, t, p, ents) for k, (p, t) in texts.items()]


def test_link_stories_separate_campaigns_years_apart():
    result = link_corpus(_campaign_docs())
    s = result.story_of_document
    assert s["old1"] == s["old2"] and s["new1"] == s["new2"] and s["old1"] != s["new1"]


def test_link_every_document_gets_a_story():
    docs = _campaign_docs() + [make_doc("fire", "Fire in port\nA fire destroyed a warehouse in the port overnight.")]
    result = link_corpus(docs)
    assert set(result.story_of_document) == {d.id for d in docs}
    assert all(any(d in st.document_ids for st in result.stories) for d in result.story_of_document)


THEATRE = ("A guided bomb struck the drama theatre in the port city on the afternoon of 16 March, "
           "where hundreds of families had sheltered in the basement.")
PORT = (47.10, 37.55)


def _follow_up_docs() -> list[Document]:
    """A strike, a report nine days on, a follow-up investigation 40 days on; an unrelated strike."""
    ents = [("drama theatre", "FAC"), ("Mariupol", "GPE")]
    first = make_doc("first", f"Theatre bombed in Mariupol\n{THEATRE} Rescuers were still searching the rubble "
                              "on Friday.", "2022-03-25", ents)
    later = make_doc("later", "Investigators count the dead of the Mariupol drama theatre\nSix weeks after the "
                              f"attack, investigators have rebuilt the day hour by hour. {THEATRE} Survivors "
                              "described the moment the roof fell.", "2022-05-04", ents)
    other = make_doc("other", "Shelling hits Mariupol drama theatre district\nArtillery hit the drama theatre "
                              "district of Mariupol again on Monday, residents said, damaging several homes.",
                     "2022-05-03", ents)
    for d in (first, later):
        add_mention(d, "A guided bomb struck the drama theatre", "Air/drone strike", ("2022-03-16", "2022-03-16"),
                    PORT, name="Mariupol")
    add_mention(other, "Artillery hit the drama theatre district of Mariupol again on Monday",
                "Shelling/artillery/missile attack", ("2022-05-02", "2022-05-02"), PORT, name="Mariupol")
    return [first, later, other]


def test_link_story_keeps_follow_up_weeks_later_with_its_event():
    result = link_corpus(_follow_up_docs())
    s = result.story_of_document
    strike = [e for e in result.events if e.sub_event_type == "Air/drone strike"]
    assert len(strike) == 1 and {m.document_id for m in strike[0].mentions} == {"first", "later"}
    assert s["first"] == s["later"]
    # The story is bounded by its events' dates: a new strike in May is another story, though
    # its article was published the day before the follow-up and names the same places.
    assert s["other"] != s["later"]


def test_link_story_of_every_event_is_the_story_of_all_its_articles():
    result = link_corpus(_follow_up_docs() + strike_corpus() + _campaign_docs())
    stories = {st.id: st for st in result.stories}
    for ev in result.events:
        docs = {m.document_id for m in ev.mentions}
        assert {result.story_of_document[d] for d in docs} == {ev.story_id}
        assert ev.id in stories[ev.story_id].event_ids


def test_link_story_joins_copied_follow_up_without_shared_event():
    first, later, _ = _follow_up_docs()
    later.mentions = []  # the follow-up's extraction found no event: the copied paragraph still ties it
    result = link_corpus([first, later])
    assert result.story_of_document["first"] == result.story_of_document["later"]


def test_link_undated_copy_inherits_window_from_dated_partner():
    a, b, _ = strike_corpus()
    b.published = DateWindow(method="unknown")
    result = link_corpus([a, b])
    window = result.published["b"]
    assert window.method == "linked" and "a" in window.evidence
    assert window.earliest <= "2024-11-30" <= window.latest


def test_link_ids_stable_under_input_order():
    first = link_corpus(strike_corpus())
    docs = strike_corpus()
    random.Random(3).shuffle(docs)
    second = link_corpus(docs)
    assert sorted(e.id for e in first.events) == sorted(e.id for e in second.events)
    assert first.story_of_document == second.story_of_document


def synthetic_corpus(n_blocks: int) -> list[Document]:
    """``n_blocks`` independent weeks of strike reports (3 outlets x 2 strikes each)."""
    docs = []
    for k in range(n_blocks):
        day = f"2020-{1 + (k // 28) % 12:02d}-{1 + k % 28:02d}"
        year = 2000 + k // 336
        day = f"{year}{day[4:]}"
        for o in range(3):
            d = make_doc(f"b{k}o{o}", f"Strike report {k}\nJets hit town{k} on day {k}, outlet {o} said. "
                                      f"Later shells hit village{k} near the river {o}.", day)
            add_mention(d, f"Jets hit town{k} on day {k}", "Air/drone strike", (day, day),
                        (34 + (k % 50) * 0.1, 36 + (k // 50) * 0.1))
            add_mention(d, f"Later shells hit village{k}", "Air/drone strike", (day, day),
                        (34 + (k % 50) * 0.1, 36.5 + (k // 50) * 0.1))
            docs.append(d)
    return docs


@pytest.mark.slow
def test_link_cost_grows_about_linearly():
    timings = {}
    for n in (20, 80):
        docs = synthetic_corpus(n)
        t0 = time.perf_counter()
        result = link_corpus(docs)
        timings[n] = time.perf_counter() - t0
        assert len(result.events) == 2 * n  # three outlets per strike merged, two strikes per week apart
    # 4x the corpus should cost well under the 16x of all-pairs comparison.
    assert timings[80] < 8 * timings[20] + 0.5


def test_link_seeds_copied_passages_and_stories(seeds_db):
    from sitrep.store import Store

    store = Store(seeds_db)
    names = {}
    for d in store.iter_documents():
        for s in d.sources:
            names[s.rsplit("/", 1)[-1][:3]] = d
    reuse = store.text_reuse()
    pair = {names["000"].id, names["003"].id}
    found = [r for r in reuse if set(r.documents) == pair]
    assert any("redeploying" in r.text for r in found)
    assert any("no immediate comment" in r.text for r in found)
    assert names["000"].story_id == names["003"].story_id
    assert names["000"].story_id != names["001"].story_id


def test_link_signals_are_the_same_whatever_block_computes_them() -> None:
    """A document's signals depend on it alone, so any worker or engine gives the same events."""
    from sitrep.link.signals import signals_of, signals_of_block

    docs = strike_corpus()
    together = signals_of_block(docs)
    for doc, block_sig in zip(docs, together):
        alone = signals_of(doc)
        assert (alone.names, alone.words) == (block_sig.names, block_sig.words)
        assert [s.shingles.tolist() for s in alone.sentences] == [s.shingles.tolist() for s in block_sig.sentences]
        if alone.lead is not None:
            assert alone.lead.tolist() == block_sig.lead.tolist()
            assert {k: v.tolist() for k, v in alone.mention_vecs.items()} == \
                   {k: v.tolist() for k, v in block_sig.mention_vecs.items()}
    # Signals handed in (as workers compute them) link exactly as signals computed here.
    handed = {s.doc_id: s for s in together}
    assert [e.id for e in link_corpus(strike_corpus(), signals=handed).events] == \
           [e.id for e in link_corpus(strike_corpus()).events]


def test_link_templated_lines_are_not_copying_and_do_not_blow_up() -> None:
    """A line filled in per article ("Reporting by ...", a benchmark's copy marker) makes every
    pair of articles a near-duplicate sentence; it must not become n^2 copied passages."""
    docs = [make_doc(f"t{i:03d}", f"Local note {i}. Filed for the weekly bulletin by desk editor number {i}.")
            for i in range(600)]
    docs.append(make_doc("copy", f"Other news. {WIRE}"))
    docs.append(make_doc("orig", f"Earlier news. {WIRE}"))
    started = time.perf_counter()
    reuse = find_text_reuse(docs)
    assert time.perf_counter() - started < 20
    pairs = {tuple(r.documents) for r in reuse}
    assert ("copy", "orig") in pairs  # a real copied passage is still found
    assert len(pairs) < 2_000  # against ~180,000 if every templated pair were a passage


def test_link_signals_survive_the_store_encoding() -> None:
    """Signals kept beside a document in the store come back as they were computed."""
    from sitrep.link.signals import decode, encode, signals_of

    for doc in strike_corpus() + [make_doc("empty", "")]:
        sig = signals_of(doc)
        back = decode(doc.id, encode(sig))
        assert (back.names, back.words) == (sig.names, sig.words)
        assert [(s.index, s.start, s.end, s.n_words, s.shingles.tolist()) for s in back.sentences] == \
               [(s.index, s.start, s.end, s.n_words, s.shingles.tolist()) for s in sig.sentences]
        assert (back.lead is None) == (sig.lead is None)
        if sig.lead is not None:
            assert back.lead.tolist() == sig.lead.tolist()
        assert {k: v.tolist() for k, v in back.mention_vecs.items()} == \
               {k: v.tolist() for k, v in sig.mention_vecs.items()}


def test_link_merged_place_is_the_province_most_reports_agree_on():
    """Three outlets place a shelling in a town; a fourth names a village over the provincial line."""
    town, village = (35.80, 36.60), (35.95, 36.55)
    docs, mentions = [], []
    for i, (where, name, precision) in enumerate([(town, "Ariha", 2), (town, "Ariha", 2), (town, "Ariha", 2),
                                                   (village, "Kafr Nabl", 1)]):
        doc = make_doc(f"p{i}", "Shelling\nShells fell on the town on Monday, killing three people.", "2024-11-26")
        mentions.append(add_mention(doc, "Shells fell on the town on Monday", "Shelling/artillery/missile attack",
                                    ("2024-11-25", "2024-11-25"), where, name=name, precision=precision, low=3))
        docs.append(doc)
    ev = build_event(mentions, {d.id: d for d in docs}, {})
    assert ev.location is not None and ev.location.admin1 == "Ariha"


def test_link_merged_place_prefers_precise_place_inside_the_agreed_province():
    doc_a = make_doc("q1", "Strike\nJets hit the province on Monday.", "2024-11-26")
    doc_b = make_doc("q2", "Strike\nJets hit the town on Monday.", "2024-11-26")
    wide = add_mention(doc_a, "Jets hit the province on Monday", "Air/drone strike",
                       ("2024-11-25", "2024-11-25"), IDLIB, name="Idlib", precision=3)
    town = add_mention(doc_b, "Jets hit the town on Monday", "Air/drone strike",
                       ("2024-11-25", "2024-11-25"), IDLIB, name="Idlib", precision=1)
    ev = build_event([wide, town], {"q1": doc_a, "q2": doc_b}, {})
    assert ev.location is town.place


def test_link_keeps_reports_in_different_provinces_apart():
    """Two outlets, one day, two towns a few km apart but on either side of a provincial line."""
    a = make_doc("r1", "Shelling\nArtillery shells hit the town market on Monday, killing five people.", "2024-11-26")
    b = make_doc("r2", "Market shelled\nShells struck the market of the town on Monday and five people died.", "2024-11-26")
    add_mention(a, "Artillery shells hit the town market on Monday", "Shelling/artillery/missile attack",
                ("2024-11-25", "2024-11-25"), (35.90, 36.60), name="Saraqib", low=5)
    add_mention(b, "Shells struck the market of the town on Monday", "Shelling/artillery/missile attack",
                ("2024-11-25", "2024-11-25"), (35.95, 36.65), name="Tell Sultan", low=5)
    result = link_corpus([a, b])
    assert len(result.events) == 2


def test_link_merged_place_region_casts_no_province_vote():
    """A region named often does not outvote the town the strike hit, as coreference ignores regions too."""
    doc = make_doc("s1", "Strike\nThe town was shelled. The region was shelled. The region burned. The region mourned.",
                   "2024-11-26")
    town = add_mention(doc, "The town was shelled", "Shelling/artillery/missile attack",
                       ("2024-11-25", "2024-11-25"), ALEPPO, name="Aleppo")
    rest = []
    for quote in ("The region was shelled", "The region burned", "The region mourned"):
        m = add_mention(doc, quote, "Shelling/artillery/missile attack", ("2024-11-25", "2024-11-25"), IDLIB,
                        name="Hinterland", precision=2)
        m.place.feature = "region"
        rest.append(m)
    ev = build_event([town, *rest], {"s1": doc}, {})
    assert ev.location is town.place


# -- issue 19: one record per real event ---------------------------------------------------


def test_link_one_article_one_place_one_day_is_one_event_with_tolls_combined():
    """ACLED's unit: a headline and its body telling one strike (two figures) are one event."""
    doc = make_doc("u1", "Strike on Aleppo market\nJets bombed a market in Aleppo on Monday, killing 6. Rescuers "
                         "later said the dead from Monday's raid on the market had risen to 9.", "2024-11-26")
    add_mention(doc, "Jets bombed a market in Aleppo on Monday", "Air/drone strike", ("2024-11-25", "2024-11-25"),
                ALEPPO, low=6)
    add_mention(doc, "the dead from Monday's raid on the market had risen to 9", "Air/drone strike",
                ("2024-11-25", "2024-11-25"), ALEPPO, low=9)
    result = link_corpus([doc])
    assert len(result.events) == 1
    ev = result.events[0]
    assert (ev.fatalities.low, ev.fatalities.high) == (6, 9)
    assert sorted(c.value for c in ev.claims if c.field == "fatalities") == ["6", "9"]


def test_link_one_article_keeps_other_towns_and_days_apart():
    doc = make_doc("u2", "Strikes across the north\nJets hit Aleppo on Monday. Jets hit Idlib on Monday. "
                         "Jets hit Aleppo again on Wednesday.", "2024-11-28")
    add_mention(doc, "Jets hit Aleppo on Monday", "Air/drone strike", ("2024-11-25", "2024-11-25"), ALEPPO)
    add_mention(doc, "Jets hit Idlib on Monday", "Air/drone strike", ("2024-11-25", "2024-11-25"), IDLIB, name="Idlib")
    add_mention(doc, "Jets hit Aleppo again on Wednesday", "Air/drone strike", ("2024-11-27", "2024-11-27"), ALEPPO)
    result = link_corpus([doc])
    assert sorted((e.location.name, e.date.earliest) for e in result.events) == [
        ("Aleppo", "2024-11-25"), ("Aleppo", "2024-11-27"), ("Idlib", "2024-11-25")]


def test_link_undated_reports_never_merge_across_articles_on_words():
    """Two articles with no date of their own or of their mentions, telling a strike in nearly the
    same words (and sharing a copied paragraph): they stay apart until something dates them."""
    a = make_doc("n1", f"Jets strike Aleppo\nJets struck the western suburb of Aleppo, killing 4. {WIRE}")
    b = make_doc("n2", f"Aleppo struck by jets\nJets struck a western suburb of Aleppo, killing 4. {WIRE}")
    for d, quote in ((a, "Jets struck the western suburb of Aleppo"), (b, "Jets struck a western suburb of Aleppo")):
        add_mention(d, quote, "Air/drone strike", None, ALEPPO, low=4)
    result = link_corpus([a, b])
    assert len(result.events) == 2


def test_link_different_towns_never_merge_whatever_the_words():
    """Two outlets copy one wire paragraph but place their strike in two towns 12 km apart."""
    a = make_doc("t1", f"Strike\nJets struck the town on Saturday, killing 4. {WIRE}", "2024-11-30")
    b = make_doc("t2", f"Strike\nJets struck the town on Saturday, killing 4. {WIRE}", "2024-11-30")
    add_mention(a, "Jets struck the town on Saturday", "Air/drone strike", ("2024-11-30", "2024-11-30"),
                (36.20, 37.13), name="Alpha", low=4)
    add_mention(b, "Jets struck the town on Saturday", "Air/drone strike", ("2024-11-30", "2024-11-30"),
                (36.30, 37.15), name="Beta", low=4)
    assert len(link_corpus([a, b]).events) == 2


def _scattered_corpus(n_weeks: int) -> list[Document]:
    """Strike reports over many weeks and towns: two outlets per strike, one copying the other."""
    docs = []
    for k in range(n_weeks):
        day = f"20{10 + k // 300:02d}-{1 + (k // 25) % 12:02d}-{1 + k % 25:02d}"
        town = (33.0 + (k % 7) * 0.5, 36.0 + (k % 5) * 0.5)
        for o in range(2):
            d = make_doc(f"w{k}o{o}", f"Strike {k}\nJets hit town number {k} on the day, outlet {o} said. "
                                      f"Witnesses in town number {k} counted the damage to the silos by the river.", day)
            add_mention(d, f"Jets hit town number {k}", "Air/drone strike", (day, day), town, name=f"Town{k % 7}",
                        low=3 + k % 4)
            docs.append(d)
    return docs


def test_link_blocks_give_the_same_events_in_processes_and_in_any_task_order(monkeypatch):
    """Scoring blocks in worker processes, or through a map that runs tasks out of order (as a
    cluster would), gives the events of one process."""
    from sitrep.link import blocks
    from sitrep.settings import DEFAULT, Settings

    def shape(result):
        return sorted((e.id, tuple(sorted(m.id for m in e.mentions))) for e in result.events)

    docs = _scattered_corpus(60)
    single = link_corpus(docs, Settings(**{**vars(DEFAULT), "workers": 1}))

    def shuffled_map(fn, items):
        items = list(items)
        order = list(range(len(items)))
        random.Random(5).shuffle(order)
        done = {i: fn(items[i]) for i in order}
        return [done[i] for i in range(len(items))]

    monkeypatch.setattr(blocks, "TASK_MENTIONS", 10)
    assert shape(link_corpus(_scattered_corpus(60), mapper=shuffled_map)) == shape(single)
    monkeypatch.setattr(blocks, "PARALLEL_MIN_MENTIONS", 1)
    parallel = link_corpus(_scattered_corpus(60), Settings(**{**vars(DEFAULT), "workers": 2}))
    assert shape(parallel) == shape(single)
    assert len(single.events) < len(docs)  # copies of one strike merged


def test_link_incremental_run_scores_only_the_units_its_new_articles_touch():
    """With an edge cache, a run that adds one article scores that article and the one
    country-week block its mentions fall in, reuses every other unit's edges, and links
    exactly as a run over everything without a cache."""
    from sitrep.link import MemoryEdgeCache

    def shape(result):
        return sorted((e.id, tuple(sorted(m.id for m in e.mentions)), e.date.earliest, e.date.latest,
                       e.fatalities.low, e.fatalities.high, e.story_id,
                       tuple((r.a, r.b, r.reason, r.score) for r in e.merges)) for e in result.events)

    def newcomer() -> Document:
        # A third outlet on strike 12 (2010-01-13), which also tells a clash in the same town.
        d = make_doc("late", "Strike 12\nJets hit town number 12 on the day, a third outlet said. "
                             "Gunmen and soldiers clashed in town number 12 on the day.", "2010-01-13")
        add_mention(d, "Jets hit town number 12", "Air/drone strike", ("2010-01-13", "2010-01-13"),
                    (35.5, 37.0), name="Town5", low=3)
        add_mention(d, "Gunmen and soldiers clashed in town number 12", "Armed clash", ("2010-01-13", "2010-01-13"),
                    (35.5, 37.0), name="Town5")
        return d

    cache = MemoryEdgeCache()
    first = link_corpus(_scattered_corpus(30), edge_cache=cache)
    assert first.units_scored and first.units_kept == 0
    again = link_corpus(_scattered_corpus(30), edge_cache=cache)
    assert (again.units_scored, again.units_kept) == (0, first.units_scored)
    assert shape(again) == shape(first)

    incremental = link_corpus(_scattered_corpus(30) + [newcomer()], edge_cache=cache)
    everything = link_corpus(_scattered_corpus(30) + [newcomer()])
    assert shape(incremental) == shape(everything)
    assert incremental.units_scored == 2  # the new article's own pairs, and its week's block
    assert incremental.units_kept == first.units_scored - 1
    strike = next(e for e in incremental.events if any(m.document_id == "late" for m in e.mentions)
                  and e.sub_event_type == "Air/drone strike")
    assert {m.document_id for m in strike.mentions} == {"w12o0", "w12o1", "late"}


def test_link_blocks_overlap_so_a_pair_across_a_week_boundary_is_found():
    from sitrep.link.blocks import make_tasks, run_task
    from sitrep.link.coref import prepare_views
    from sitrep.link.features import window_days
    from sitrep.link.merge import load_model

    # Blocks are weeks of day numbers (Sunday to Saturday): both windows below hold Saturday
    # 30 November and Sunday 1 December, so both mentions sit in the same two blocks.
    a = make_doc("x1", f"Strike\nJets struck the town late on Sunday. {WIRE}", "2024-12-02")
    b = make_doc("x2", f"Strike\nJets struck the town on Sunday night. {WIRE}", "2024-12-02")
    add_mention(a, "Jets struck the town late on Sunday", "Air/drone strike", ("2024-11-30", "2024-12-01"), ALEPPO)
    add_mention(b, "Jets struck the town on Sunday night", "Air/drone strike", ("2024-11-30", "2024-12-02"), ALEPPO)
    views = prepare_views([a, b], {d.id: window_days(d.published) for d in (a, b)})
    edges = [e for t in make_tasks(views, {("x1", "x2"): 1.0}, load_model()) for e in run_task(t)]
    assert len(edges) == 1  # found once, though both mentions sit in two weekly blocks


def test_link_seeds_have_no_duplicate_rows(seeds_db, shared):
    """One row per real event on the seeds: no row repeats another's sub-type, place and dates."""
    from sitrep.evaluate.seeds import score_seeds
    from sitrep.store import Store

    checks = {c.name: c for c in score_seeds(Store(seeds_db, create=False), shared / "gold" / "seeds.gold.json")}
    dup = checks["event rows not duplicating another's sub-type, place and dates"]
    assert dup.total > 0 and not dup.failures, dup.failures


def test_link_metrics_count_glue_and_duplicate_rows():
    """The linking metrics (evaluate/linking.py) on a hand-made export: one event glues two
    incidents 12 days apart, two rows repeat one sub-type, place and window."""
    from datetime import date

    from sitrep.evaluate import linking

    def ev(eid, docs, day, place="Aleppo"):
        return {"id": eid, "sub_event_type": "Air/drone strike", "date": {"earliest": day, "latest": day},
                "location": {"name": place, "lat": 36.2, "lon": 37.13},
                "mentions": [{"document_id": d} for d in docs]}

    export = {"events": [ev("e1", ["a", "b"], "2016-08-01"), ev("e2", ["c", "d"], "2016-08-03"),
                         ev("e3", ["e"], "2016-08-03"), ev("e4", ["f"], "2016-08-09", "Idlib")]}
    keys = {"a": (date(2016, 8, 1), "aleppo"), "b": (date(2016, 8, 13), "aleppo"),
            "c": (date(2016, 8, 3), "aleppo"), "d": (date(2016, 8, 4), "aleppo")}
    rows = linking.rows_from_export(export)
    g = linking.glue(rows, keys)
    assert (g.glued, g.multi, g.by_days, g.by_place, g.widest_days) == (1, 2, 1, 0, 12)
    d = linking.duplicates(rows)
    assert (d.duplicated, d.surplus, d.events) == (2, 1, 4)


# -- issue 19: follow-ups (a later report of the same incident) ------------------------------

QARVANA = (35.10, 38.20)

FIRST = ("Jets hit Qarvana market\nQARVANA, 4 March 2025 - Jets struck the Tamrik market in Qarvana on Monday, "
         "killing 14 people, the Halvet Relief Committee said. Governor Idris Bakun called the raid a massacre.")
LATER = ("New toll from Qarvana market raid\nQARVANA, 6 March 2025 - The number of people killed in Monday's "
         "raid on the Tamrik market in Qarvana now stands at {toll}, the Halvet Relief Committee said. "
         "Governor Idris Bakun declared three days of mourning as families buried the dead.")
NAMES = [("Qarvana", "GPE"), ("Tamrik", "FAC"), ("Halvet Relief Committee", "ORG"), ("Idris Bakun", "PERSON")]


def _follow_up_pair(later_toll: int, precision: int = 1) -> list[Document]:
    """A first report of a market raid and a report two days later giving a revised toll."""
    a = make_doc("fu1", FIRST, "2025-03-04", NAMES)
    b = make_doc("fu2", LATER.format(toll=later_toll), "2025-03-06", NAMES)
    add_mention(a, "Jets struck the Tamrik market in Qarvana on Monday", "Air/drone strike",
                ("2025-03-03", "2025-03-03"), QARVANA, name="Qarvana", precision=precision, low=14)
    add_mention(b, "The number of people killed in Monday's raid on the Tamrik market in Qarvana", "Air/drone strike",
                ("2025-03-03", "2025-03-03"), QARVANA, name="Qarvana", precision=precision, low=later_toll)
    return [a, b]


def test_link_follow_up_with_revised_toll_joins_the_first_report():
    """A report two days on, dating the raid by its weekday, naming the same market and relief
    committee and giving a higher toll, is the same event: one row, both figures kept."""
    result = link_corpus(_follow_up_pair(31))
    assert len(result.events) == 1
    ev = result.events[0]
    assert {m.document_id for m in ev.mentions} == {"fu1", "fu2"}
    assert sorted(c.value for c in ev.claims if c.field == "fatalities") == ["14", "31"]
    assert any("follow-up" in r.reason for r in ev.merges)


def test_link_follow_up_at_province_level_place_joins_the_first_report():
    """When the gazetteer places both reports only at their province, the names they share
    (the market, the committee) still tie the follow-up to the first report."""
    result = link_corpus(_follow_up_pair(31, precision=3))
    assert len(result.events) == 1
    assert any("follow-up" in r.reason for r in result.events[0].merges)


def _retyped_pair(later_sub: str) -> list[Document]:
    """The follow-up pair, the later report typed ``later_sub`` by its own words."""
    docs = _follow_up_pair(31)
    docs[1].mentions[0].sub_event_type = later_sub
    docs[1].mentions[0].event_type = str(EVENT_TYPE_OF[SubEventType(later_sub)])
    return docs


def test_link_follow_up_typed_as_a_neighbouring_sub_type_joins_the_first_report():
    """A follow-up whose words read as shelling where the first report read an air strike, same
    market, day, names and a risen toll, is the same event, typed as the first report had it."""
    result = link_corpus(_retyped_pair("Shelling/artillery/missile attack"))
    assert len(result.events) == 1
    ev = result.events[0]
    assert {m.document_id for m in ev.mentions} == {"fu1", "fu2"}
    assert ev.sub_event_type == "Air/drone strike"
    assert any("typed otherwise" in r.reason for r in ev.merges)


def test_link_follow_up_of_another_kind_of_event_stays_apart():
    """Sub-types no coder would confuse (an air strike, an arrest) stay two events, whatever the
    names and day they share."""
    result = link_corpus(_retyped_pair("Arrests"))
    assert len(result.events) == 2


def test_link_later_report_with_fewer_dead_is_not_a_follow_up():
    """A later report giving fewer dead than the first is no revision of its toll: the follow-up
    rule does not decide it."""
    from sitrep.link.coref import follows_up, prepare_views
    from sitrep.link.features import window_days

    def views(later_toll: int) -> list:
        docs = _follow_up_pair(later_toll)
        return prepare_views(docs, {d.id: window_days(d.published) for d in docs})

    assert not follows_up(*views(9))
    assert follows_up(*views(31))


def test_link_same_town_and_day_without_shared_names_stay_apart():
    """Two outlets report strikes on one town on one day, on other streets, from other sources,
    with other tolls: nothing ties them, so they stay two events."""
    a = make_doc("sd1", "Raid on Qarvana\nJets struck the Tamrik market in Qarvana on Monday, killing 14 people, "
                        "the Halvet Relief Committee said.", "2025-03-04", NAMES)
    b = make_doc("sd2", "Bakery hit\nA warplane hit the Olvar bakery near the Sennet bridge in Qarvana on Monday, "
                        "killing 3 workers, the Dorran Medical Union said.", "2025-03-04",
                 [("Qarvana", "GPE"), ("Olvar", "FAC"), ("Sennet", "FAC"), ("Dorran Medical Union", "ORG")])
    add_mention(a, "Jets struck the Tamrik market in Qarvana on Monday", "Air/drone strike",
                ("2025-03-03", "2025-03-03"), QARVANA, name="Qarvana", low=14)
    add_mention(b, "A warplane hit the Olvar bakery near the Sennet bridge in Qarvana on Monday", "Air/drone strike",
                ("2025-03-03", "2025-03-03"), QARVANA, name="Qarvana", low=3)
    assert len(link_corpus([a, b]).events) == 2


def test_link_name_overlap_weighs_rare_names_more_than_common_ones():
    """Two articles sharing a rare name overlap more than two sharing only a name every article
    of their block uses."""
    from sitrep.link.coref import block_idf, prepare_views
    from sitrep.link.features import window_days
    from sitrep.link.merge import name_overlap

    texts = {"n1": "Norland: jets hit Tamrik.", "n2": "Norland: Tamrik hit again.", "n3": "Norland: jets hit Olvar."}
    docs = []
    for doc_id, text in texts.items():
        d = make_doc(doc_id, text, "2025-03-04", [("Norland", "GPE"), ("Tamrik", "FAC"), ("Olvar", "FAC")])
        add_mention(d, text.split(": ")[1].rstrip("."), "Air/drone strike", ("2025-03-03", "2025-03-03"), QARVANA)
        docs.append(d)
    v = {x.m.document_id: x for x in prepare_views(docs, {d.id: window_days(d.published) for d in docs})}
    idf = block_idf(list(v.values()))
    assert name_overlap(v["n1"], v["n2"], idf) > name_overlap(v["n1"], v["n3"], idf) > 0


# -- issue 16: each event's province ---------------------------------------------------------

BORDER_TOWN = (35.60, 36.90)  # ~70 km from ALEPPO: within a province's 150 km radius of it


def test_issue16_one_article_keeps_mentions_in_two_provinces_apart():
    """A roundup tells shelling on one day in a province (placed only at the province) and in a
    town of the next province: two events, each in its own province, not one placed in either."""
    doc = make_doc("pv1", "Shelling in two provinces\nShells fell across Norvale province on Monday, killing 5. "
                          "Shells also hit the town of Marrin in Ostrava province on Monday, killing 2.", "2024-11-26")
    add_mention(doc, "Shells fell across Norvale province on Monday", "Shelling/artillery/missile attack",
                ("2024-11-25", "2024-11-25"), BORDER_TOWN, name="Norvale", precision=3, low=5)
    add_mention(doc, "Shells also hit the town of Marrin in Ostrava province on Monday",
                "Shelling/artillery/missile attack", ("2024-11-25", "2024-11-25"), ALEPPO, name="Ostrava", low=2)
    result = link_corpus([doc])
    assert sorted(e.location.admin1 for e in result.events) == ["Norvale", "Ostrava"]


def test_issue16_region_counts_with_its_province():
    """A region inside a province (no coordinates the linker trusts) never joins a town of another
    province in the same article, but still joins a town of its own province."""
    doc = make_doc("pv2", "Clashes\nFighters clashed in the eastern plain on Monday. Fighters clashed in Marrin "
                          "on Monday. Fighters clashed in Tessa on Monday.", "2024-11-26")
    region = add_mention(doc, "Fighters clashed in the eastern plain on Monday", "Armed clash",
                         ("2024-11-25", "2024-11-25"), IDLIB, name="Norvale", precision=2)
    region.place.feature = "region"
    add_mention(doc, "Fighters clashed in Marrin on Monday", "Armed clash", ("2024-11-25", "2024-11-25"), ALEPPO,
                name="Ostrava")
    add_mention(doc, "Fighters clashed in Tessa on Monday", "Armed clash", ("2024-11-25", "2024-11-25"), IDLIB,
                name="Norvale")
    result = link_corpus([doc])
    by_province = sorted((e.location.admin1, len(e.mentions)) for e in result.events)
    assert by_province == [("Norvale", 2), ("Ostrava", 1)]


def test_link_placeholder_actor_gives_way_to_a_report_that_names_the_doer() -> None:
    """One report names nobody (ACLED's placeholder), another the group that claimed it: the
    event's actor 1 is the group, not the placeholder, however many reports named nobody."""
    def mention(mid: str, doc: str, actors: list[str], rules: list[str]) -> Mention:
        return Mention(id=mid, document_id=doc, start=0, end=10, event_type="Explosions/Remote violence",
                       sub_event_type="Remote explosive/landmine/IED", actors=actors, rules=rules)

    placeholder = ["Unidentified Armed Group (Somalia)"]
    mentions = [mention("m1", "d1", placeholder, ["actor:unidentified-default"]),
                mention("m2", "d2", placeholder, ["actor:unidentified-default"]),
                mention("m3", "d3", ["Al-Shabaab"], ["actor:claim-responsibility"])]
    assert build_event(mentions, {}, {}).actors == ["Al-Shabaab"]
    # "Gunmen" named by the text is no placeholder: it stays beside the other side of a clash.
    mentions[0].rules = ["actor:dependency-role"]
    assert set(build_event(mentions, {}, {}).actors) == {"Unidentified Armed Group (Somalia)", "Al-Shabaab"}


def test_link_arrest_by_default_police_gives_way_to_the_named_arresters() -> None:
    """An arrest nobody is named for gets the state's police (a default, like ACLED's); a report
    naming who made it (the security service) replaces the default in the linked event."""
    def mention(mid: str, doc: str, actors: list[str], rules: list[str]) -> Mention:
        return Mention(id=mid, document_id=doc, start=0, end=10, event_type="Strategic developments",
                       sub_event_type="Arrests", actors=actors, rules=rules)

    mentions = [mention("m1", "d1", ["Police Forces of Russia"], ["actor:arrest-by-police-default"]),
                mention("m2", "d2", ["Federal Security Service of Russia"], ["actor:dependency-role"])]
    assert build_event(mentions, {}, {}).actors == ["Federal Security Service of Russia"]
