"""The demo course texts are complete and well-formed (pure Python: runs with -p no:django)."""

import re

from courses.catalog.demo_files import BLOCK_TYPES, CALLOUT_KINDS, LEVELS, load_courses, load_topics

COURSES = load_courses()
TOPICS = load_topics()


def _words(lesson) -> int:
    text = []
    for block in lesson["body"]:
        value = block["value"]
        text.append(value if isinstance(value, str) else " ".join(str(v) for v in value.values()))
    return len(re.sub(r"<[^>]+>", " ", " ".join(text)).split())


def test_one_course_per_topic():
    assert sorted(c["topic"] for c in COURSES) == sorted(t["slug"] for t in TOPICS)


def test_every_course_has_at_least_four_substantive_lessons():
    for course in COURSES:
        assert len(course["lessons"]) >= 4, course["slug"]
        for lesson in course["lessons"]:
            assert _words(lesson) >= 450, lesson["slug"]


def test_course_metadata_is_complete():
    for course in COURSES:
        assert course["level"] in LEVELS
        assert course["hours"] > 0
        for key in ("title", "summary", "easy_summary"):
            assert course[key].strip(), (course["slug"], key)
        for key in ("outcomes", "target_groups", "prerequisites"):
            assert course[key], (course["slug"], key)


def test_slugs_are_unique_and_url_safe():
    slugs = [c["slug"] for c in COURSES]
    assert len(set(slugs)) == len(slugs)
    for course in COURSES:
        lesson_slugs = [lesson["slug"] for lesson in course["lessons"]]
        assert len(set(lesson_slugs)) == len(lesson_slugs)
        for slug in [course["slug"], *lesson_slugs]:
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug


def test_blocks_use_only_known_types_and_fields():
    for course in COURSES:
        for lesson in course["lessons"]:
            assert 5 <= lesson["minutes"] <= 90
            types = [b["type"] for b in lesson["body"]]
            assert set(types) <= set(BLOCK_TYPES)
            assert "glossary_term" in types and "callout" in types, lesson["slug"]
            for block in lesson["body"]:
                if block["type"] == "callout":
                    assert block["value"]["kind"] in CALLOUT_KINDS
                    assert set(block["value"]) == {"kind", "title", "text"}
                if block["type"] == "glossary_term":
                    assert set(block["value"]) == {"term", "definition"}


def test_rich_text_tags_are_balanced():
    for course in COURSES:
        for lesson in course["lessons"]:
            for block in lesson["body"]:
                html = block["value"] if block["type"] == "rich_text" else block["value"].get("text", "")
                for tag in ("p", "ul", "ol", "li", "h2", "h3", "b", "i", "a", "code"):
                    opened = len(re.findall(rf"<{tag}[\s>]", html))
                    assert opened == html.count(f"</{tag}>"), (lesson["slug"], tag)
