"""Carrying each portal's learning over to a new shipped model.

A portal's confirmed labels are stored as feature vectors tagged with the model they were
computed for (a vector is only meaningful for the columns of that model). Upgrading hubguard to
a model with other engineered cues would otherwise quietly drop every correction the agents
made. Models that share the hashing of words and senders can translate: word and sender columns
stay as they are, engineered columns move by name (a cue the old featurizer lacked stays 0, one
the new model dropped is dropped), and the global logit is recomputed with the new weights.
"""

from __future__ import annotations

import numpy as np

from hubguard.spam.correction import Example
from hubguard.spam.features import DENSE_OFFSET
from hubguard.spam.model import LinearModel

__all__ = ["DENSE_LAYOUTS", "translate"]

# The engineered columns of every model version whose stored examples can be carried over, in
# column order. A frozen record, like a migration: never edit a released version's tuple.
_V1_DENSE_NAMES: tuple[str, ...] = (
    *(
        f"phrases_{family}"
        for family in (
            "seo",
            "outreach",
            "credential",
            "payment",
            "urgency",
            "money",
            "pharma_adult",
            "legal_threat",
            "newsletter",
            "auto_reply",
        )
    ),
    "n_links",
    "n_link_domains",
    "link_mismatch",
    "ip_link",
    "shortener_link",
    "suspicious_tld",
    "link_to_sender_domain_other",
    "html_only",
    "had_html",
    "free_mail_sender",
    "free_mail_business_pitch",
    "sender_domain_digits",
    "sender_domain_hyphens",
    "sender_name_brand_mismatch",
    "no_sender",
    "subject_caps",
    "subject_re_fwd",
    "no_subject",
    "caps_words",
    "exclamations",
    "digits_ratio",
    "non_ascii_ratio",
    "emoji",
    "gibberish",
    "very_short",
    "long_text",
    "channel_email",
    "channel_chat",
    "channel_form",
    "bias_ones",
)
_V2_ADDED = {  # v2's new cues, each after the v1 cue it follows
    "link_to_sender_domain_other": "bulk_from_linked_brand",
    "sender_name_brand_mismatch": "sender_is_brand_domain",
}
_V2_DENSE_NAMES: tuple[str, ...] = tuple(
    name
    for v1_name in _V1_DENSE_NAMES
    for name in ((v1_name, _V2_ADDED[v1_name]) if v1_name in _V2_ADDED else (v1_name,))
)
DENSE_LAYOUTS: dict[str, tuple[str, ...]] = {
    "hubguard-linear.v1": _V1_DENSE_NAMES,
    "hubguard-linear.v2": _V2_DENSE_NAMES,
    # v3 kept v2's cues; it reads the HTML behind a placeholder plain part. A vector stored for
    # v2 of such a message keeps the words v2 saw: an agent's label still says what it said.
    "hubguard-linear.v3": _V2_DENSE_NAMES,
}


def translate(example: Example, from_model: str, to: LinearModel) -> Example | None:
    """``example`` (stored for ``from_model``) as ``to`` sees it; None if it cannot be carried."""
    old_names = DENSE_LAYOUTS.get(from_model)
    if old_names is None or to.name not in DENSE_LAYOUTS:
        return None
    new_index = {name: i for i, name in enumerate(DENSE_LAYOUTS[to.name])}
    cols: list[int] = []
    values: list[float] = []
    for col, value in zip(example.cols, example.values, strict=True):
        if col < DENSE_OFFSET:  # word and sender columns: the same hashing in every version
            cols.append(col)
            values.append(value)
            continue
        position = col - DENSE_OFFSET
        name = old_names[position] if position < len(old_names) else None
        if name in new_index:
            cols.append(DENSE_OFFSET + new_index[name])
            values.append(value)
    logit = to.logit(np.asarray(cols, dtype=np.int64), np.asarray(values, dtype=np.float32))
    return Example(tuple(cols), tuple(values), logit, example.is_spam)
