"""Typed JSONB metadata as mutations accept it (LeadMetadata, DomainMetadata): known sections and fields,
merged into what is stored."""

from typing import Any

from resolvers.mutations.outcome import Failure, FieldPath, invalid


def _is_score(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


SCORE = (_is_score, "an integer from 0 to 100")
TEXT = (_is_text, "a string")
TEXT_LIST = (_is_text_list, "a list of strings")

LEAD_METADATA_SHAPE = {
    "scoring": {"demographic": SCORE, "behavioral": SCORE, "firmographic": SCORE, "total": SCORE},
    "qualification": {"budget": TEXT, "authority": TEXT, "need": TEXT, "timeline": TEXT},
    "enrichment": {"companySize": TEXT, "industry": TEXT, "revenue": TEXT, "technologies": TEXT_LIST},
}


def metadata_failures(
    metadata: Any, path: FieldPath, sections: dict[str, dict[str, Any]] = LEAD_METADATA_SHAPE
) -> list[Failure]:
    """Every section and field must be known and of its type; null removes a section or a field."""
    if not isinstance(metadata, dict):
        return [invalid(path, f"Must be an object with sections {', '.join(sections)}")]
    failures: list[Failure] = []
    for name, section in metadata.items():
        shape = sections.get(name)
        if shape is None:
            known = ", ".join(sections)
            failures.append(invalid((*path, name), f"Unknown section; known: {known}"))
        elif section is not None and not isinstance(section, dict):
            failures.append(invalid((*path, name), "Must be an object or null"))
        elif section is not None:
            failures += _section_failures(section, shape, (*path, name))
    return failures


def _section_failures(section: dict[str, Any], shape: dict[str, Any], path: FieldPath) -> list[Failure]:
    failures: list[Failure] = []
    for name, value in section.items():
        kind = shape.get(name)
        if kind is None:
            failures.append(invalid((*path, name), f"Unknown field; known: {', '.join(shape)}"))
        elif value is not None and not kind[0](value):
            failures.append(invalid((*path, name), f"Must be {kind[1]} or null"))
    return failures


def merge_metadata(stored: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """Given fields replace stored ones; fields and sections not given are kept; null removes."""
    merged = dict(stored)
    for name, section in given.items():
        if section is None:
            merged.pop(name, None)
            continue
        current = merged.get(name)
        fields = {**(current if isinstance(current, dict) else {}), **section}
        merged[name] = {key: value for key, value in fields.items() if value is not None}
    return merged
