"""Language identification: English in, other languages marked (never mangled), short text safe."""

from __future__ import annotations

from sitrep.language import detect_language, identify
from sitrep.model import Document

ENGLISH = ("Heavy rain on Tuesday washed away a section of the coastal road, stranding dozens of lorries, "
           "the regional transport office said.")


def test_language_english_article_is_en() -> None:
    doc = detect_language(Document(id="e", source="e", text=ENGLISH))
    assert doc.language == "en"


def test_language_french_article_is_marked_fr() -> None:
    text = ("De fortes pluies ont emporté mardi une partie de la route côtière, bloquant des dizaines de camions, "
            "a indiqué le bureau régional des transports.")
    doc = detect_language(Document(id="f", source="f", text=text))
    assert doc.language == "fr" and doc.text == text
    assert doc.meta["language_confidence"] > 0.9


def test_language_other_scripts_are_identified_even_when_short() -> None:
    assert identify("Обстрел Харькова, погибли двое")[0] == "ru"
    assert identify("قصف مدينة حلب صباح اليوم")[0] == "ar"


def test_language_short_latin_snippet_defaults_to_english() -> None:
    assert identify("Shelling hit Kharkiv")[0] == "en"


def test_language_english_with_many_names_stays_english() -> None:
    text = ("Hayat Tahrir al-Sham and the Syrian National Army entered Aleppo, Idlib and Hama, "
            "the Syrian Observatory for Human Rights said.")
    assert identify(text)[0] == "en"


def test_language_uses_raw_text_when_not_cleaned() -> None:
    text = "Gestern griff die Armee mehrere Dörfer im Norden an, wie die Behörden am Abend mitteilten."
    assert detect_language(Document(id="d", source="d", raw_text=text)).language == "de"
