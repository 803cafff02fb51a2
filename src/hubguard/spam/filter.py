""":class:`SpamFilter`: the classifier the inbox pipeline calls.

Score = global model + the portal's learned correction + context rules (known contact, open
ticket); then the portal's allow/block lists override. Everything is one batch of numpy
operations, so scoring thousands of messages per second on one core is the normal case.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Literal

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool

from hubguard.clock import Clock, SystemClock
from hubguard.db import metadata
from hubguard.spam.correction import Correction, Example, fit_correction
from hubguard.spam.features import (
    DENSE_NAMES,
    DENSE_OFFSET,
    Features,
    featurize_batch,
    sender_of,
)
from hubguard.spam.model import LinearModel, Sparse, load_model, to_sparse, to_sparse_with_tokens
from hubguard.spam.reasons import MIN_CONTRIBUTION, Term, explain
from hubguard.spam.store import PortalStore
from hubguard.spam.text import ascii_domain
from hubguard.spam.types import MessageInput, Verdict
from hubguard.spam.upgrade import translate

__all__ = ["SpamFilter"]

KNOWN_CONTACT_SHIFT = -3.0  # logit: a known contact's mail needs much stronger evidence
OPEN_TICKET_SHIFT = -1.5
CATEGORY_LABELS = {
    "phishing": "phishing or payment fraud",
    "cold_outreach": "cold sales or SEO outreach",
    "bot_form_fill": "bot form fills",
    "newsletter": "bulk newsletters",
    "auto_reply": "automatic replies",
    "other_spam": "spam",
}
_NOT_CONFIRMED = frozenset({"model", "classifier", "auto", "verdict", "hubguard"})


def _memory_engine() -> Engine:
    # One shared in-memory database, usable from the pipeline's worker threads.
    engine = sa.create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    from hubguard.spam import tables

    metadata.create_all(
        engine, tables=[tables.spam_lists, tables.spam_feedback, tables.spam_corrections]
    )
    return engine


def _message_key(msg: MessageInput) -> str:
    digest = hashlib.sha256()
    for part in (msg.from_email, msg.subject, msg.text, msg.html, msg.channel):
        digest.update((part or "").encode("utf-8", "surrogatepass") + b"\x00")
    return "msg:" + digest.hexdigest()[:40]


MAX_KEY_CHARS = 200  # the stored key's column


def _stored_key(key: str) -> str:
    """A caller's key as stored: a longer one (an id from a JSONL file can be anything) by
    its digest, so it still fits, replaces and forgets."""
    if len(key) <= MAX_KEY_CHARS:
        return key
    return "key:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _normalise_entry(address_or_domain: str) -> str:
    entry = address_or_domain.strip().lower().removeprefix("mailto:").strip("<> ")
    if not entry or " " in entry or len(entry) > 320:
        raise ValueError(f"not an e-mail address or domain: {address_or_domain!r}")
    if entry.startswith("actor:"):
        return entry
    local, at, domain = entry.removeprefix("@").rpartition("@")
    return f"{local}@{ascii_domain(domain)}" if at else ascii_domain(domain)


def _most_specific_entry(
    entries: dict[str, str], actor: str | None, address: str, domain: str
) -> tuple[str, str] | None:
    # A person beats their domain, a sub-domain its parent: "allow shop.example" with "block
    # ann@shop.example" blocks Ann only.
    if not entries:
        return None
    labels = domain.split(".") if address else []
    parents = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    for entry in (actor, address or None, *parents):
        if entry and entry in entries:
            return entries[entry], entry
    return None


_add_reduce = np.add.reduce  # what ndarray.sum() runs, without its Python-level wrapper
_first = itemgetter(0)


class _ContributionsBySide:
    """The score terms of each message of a batch that can become a reason.

    :func:`explain` quotes only terms on the side of the verdict (spam for spam, not spam for
    ham), and engineered features only from ``MIN_CONTRIBUTION`` up; the other terms are never
    built. Token terms are the message's strongest tokens either way (12 each, found with one
    argsort per message) plus two unnamed terms carrying the rest of the word weight.
    """

    N_NAMED = 12

    def __init__(
        self,
        batch: Sparse,
        token_pos: npt.NDArray[np.int64],
        contrib: npt.NDArray[np.float64],
        spam_side: npt.NDArray[np.bool_],
    ) -> None:
        n = batch.n_rows
        self._contrib = contrib
        self._cols = batch.cols
        self._token_pos = token_pos
        self._spam_side = spam_side.tolist()
        self._starts = np.searchsorted(batch.rows, np.arange(n)).tolist()
        is_dense = batch.cols >= DENSE_OFFSET
        self._n_tokens = np.bincount(batch.rows[~is_dense], minlength=n).tolist()
        dense = np.zeros((n, len(DENSE_NAMES)))
        dense[batch.rows[is_dense], batch.cols[is_dense] - DENSE_OFFSET] = contrib[is_dense]
        sign = np.where(spam_side, 1.0, -1.0)
        rows, names = np.nonzero(dense * sign[:, None] >= MIN_CONTRIBUTION)
        self._dense_rows = np.searchsorted(rows, np.arange(n + 1)).tolist()
        self._dense_names = names.tolist()
        self._dense_values = dense[rows, names].tolist()

    def terms(self, i: int, feat: Features) -> list[Term]:
        """Message ``i``'s terms that :func:`explain` could use, in the order it reads them."""
        a, b = self._dense_rows[i], self._dense_rows[i + 1]
        terms = [
            Term("dense", DENSE_NAMES[j], v)
            for j, v in zip(self._dense_names[a:b], self._dense_values[a:b], strict=True)
        ]
        lo = self._starts[i]
        hi = lo + self._n_tokens[i]
        if hi == lo:
            return terms
        tok_contrib = self._contrib[lo:hi]
        order = tok_contrib.argsort()
        # The 12 weakest and the 12 strongest, weakest first; all of them when 24 or fewer
        # (columns are distinct within a message, so these are distinct tokens).
        n_named = self.N_NAMED
        if hi - lo > 2 * n_named:
            order = np.concatenate((order[:n_named], order[-n_named:]))
        values = tok_contrib[order].tolist()
        positions = self._token_pos[lo:hi][order].tolist()  # of the first token with the column
        total_pos = float(_add_reduce(tok_contrib[tok_contrib > 0]))
        total_neg = float(_add_reduce(tok_contrib[tok_contrib < 0]))
        named_pos = named_neg = 0.0  # summed in this order, as explain() once did
        for v in values:
            if v > 0:
                named_pos += v
            elif v < 0:
                named_neg += v
        # Only the tokens on the verdict's side can be quoted, strongest first (a stable sort,
        # so equal ones keep their order).
        spam_side = self._spam_side[i]
        sign = 1.0 if spam_side else -1.0
        keep = [(v, p) for v, p in zip(values, positions, strict=True) if v * sign > 0]
        keep.sort(key=_first, reverse=spam_side)
        tokens = feat.tokens
        terms.extend(Term("token", tokens[p], v) for v, p in keep)
        # The many small word weights count too: carried by terms without a name. (Either can
        # be a rounding error away from 0 on the wrong side; explain() decides, as always.)
        for key, rest in (("c:rest+", total_pos - named_pos), ("c:rest-", total_neg - named_neg)):
            if rest * sign > 0:
                terms.append(Term("token", key, rest))
        return terms


class SpamFilter:
    """Scores messages; learns per portal from confirmed labels; honours allow/block lists.

    ``engine`` is a hubguard.db engine whose schema is migrated (``hubguard.db.migrate``); without
    one, portal state lives in memory for the life of this object.
    """

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        model: LinearModel | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._model = model or load_model()
        self._store = PortalStore(engine or _memory_engine())
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._corrections: dict[int, tuple[int, Correction]] = {}

    @property
    def model(self) -> LinearModel:
        """The global model in use."""
        return self._model

    # -- scoring ------------------------------------------------------------------------------
    def classify(
        self, msg: MessageInput, *, portal_id: int | None = None, threshold: float | None = None
    ) -> Verdict:
        """One message's verdict."""
        return self.classify_batch([msg], portal_id=portal_id, threshold=threshold)[0]

    def classify_batch(
        self,
        msgs: Sequence[MessageInput],
        *,
        portal_id: int | None = None,
        threshold: float | None = None,
    ) -> list[Verdict]:
        """Verdicts for many messages of one portal, in order (one vectorised pass)."""
        if not msgs:
            return []
        model = self._model
        cut = model.threshold if threshold is None else float(threshold)
        feats = featurize_batch(msgs)
        batch, token_pos = to_sparse_with_tokens(feats)
        global_contrib = model.weights[batch.cols].astype(np.float64) * batch.values
        correction = self._correction(portal_id) if portal_id is not None else Correction.empty()
        portal_contrib = correction.lookup(batch.cols) * batch.values
        n = len(msgs)
        global_logits = np.bincount(batch.rows, weights=global_contrib, minlength=n) + model.bias
        portal_shift = np.bincount(batch.rows, weights=portal_contrib, minlength=n)
        rules = np.array(
            [
                (KNOWN_CONTACT_SHIFT if m.known_contact else 0.0)
                + (OPEN_TICKET_SHIFT if m.open_ticket else 0.0)
                for m in msgs
            ]
        )
        logits = global_logits + portal_shift + rules
        probs = model.calibrate(logits)
        categories = model.category_scores(batch).argmax(axis=1)
        entries = self._store.entries(portal_id) if portal_id is not None else {}
        scale = model.platt_a
        side = _ContributionsBySide(batch, token_pos, global_contrib * scale, probs >= cut)
        verdicts = []
        for i, (msg, feat) in enumerate(zip(msgs, feats, strict=True)):
            listed = _most_specific_entry(entries, None, feat.sender_address, feat.sender_domain)
            prob = float(probs[i])
            is_spam = prob >= cut
            category = model.categories[int(categories[i])]
            if listed is not None:
                kind, entry = listed
                is_spam = kind == "block"
                prob = 1.0 if is_spam else 0.0
                terms = [
                    Term(
                        "rule",
                        "list",
                        1.0,
                        f"sender {entry} is on the portal's {kind} list"
                        f" (content score alone: {float(probs[i]):.0%})",
                    )
                ]
            else:
                terms = side.terms(i, feat)
                if portal_shift[i]:
                    word = "spam" if portal_shift[i] > 0 else "not spam"
                    terms.append(
                        Term(
                            "portal",
                            "correction",
                            float(portal_shift[i] * scale),
                            f"similar to messages this portal's agents marked as {word}",
                        )
                    )
                if msg.known_contact:
                    terms.append(
                        Term(
                            "rule",
                            "known_contact",
                            KNOWN_CONTACT_SHIFT,
                            "sender is a known contact",
                        )
                    )
                if msg.open_ticket:
                    terms.append(
                        Term(
                            "rule",
                            "open_ticket",
                            OPEN_TICKET_SHIFT,
                            "the thread has an open ticket",
                        )
                    )
            reasons = explain(terms, feat, is_spam, CATEGORY_LABELS.get(category, "spam"))
            verdicts.append(
                Verdict(
                    spam_probability=round(prob, 6),
                    is_spam=is_spam,
                    threshold=cut,
                    category=category if is_spam else None,
                    reasons=reasons,
                    model=model.name,
                )
            )
        return verdicts

    def listed(
        self, portal_id: int, sender_email: str | None, actor: str | None = None
    ) -> tuple[str, str] | None:
        """``("allow" | "block", entry)`` for the portal's most specific list entry covering
        this sender (its chat-visitor ``actor:`` entry, its address, its domain, a parent
        domain), or None. The one rule scoring and the pipeline both apply."""
        address, domain = sender_of(sender_email)
        return _most_specific_entry(self._store.entries(portal_id), actor, address, domain)

    def _correction(self, portal_id: int) -> Correction:
        revision = self._store.revision(portal_id)
        with self._lock:
            cached = self._corrections.get(portal_id)
        if cached is not None and cached[0] == revision:
            return cached[1]
        revision, stored = self._store.correction(portal_id, self._model.name)
        if stored is None:  # learned under an older model: carry it over once, then use it
            self._carry_over(portal_id)
            revision, stored = self._store.correction(portal_id, self._model.name)
        correction = stored if stored is not None else Correction.empty()
        with self._lock:
            self._corrections[portal_id] = (revision, correction)
        return correction

    def _carry_over(self, portal_id: int) -> None:
        with self._store.learning(portal_id) as conn:
            self._refit(conn, portal_id)

    # -- learning -----------------------------------------------------------------------------
    def learn(
        self,
        portal_id: int,
        msg: MessageInput,
        label: Literal["spam", "ham"] | str,
        *,
        source: str = "agent",
        key: str | None = None,
    ) -> None:
        """Teach one portal a confirmed label; ``key`` lets it be replaced or forgotten later."""
        self.learn_many(portal_id, [(msg, label, key)], source=source)

    def learn_many(
        self,
        portal_id: int,
        labelled: Iterable[tuple[MessageInput, str, str | None]],
        *,
        source: str = "agent",
    ) -> dict[str, int]:
        """Teach one portal many confirmed labels ``(message, "spam" | "ham", key or None)`` in
        one transaction and one re-fit (a re-fit per label would make a file of n labels cost
        n fits). A later label with the same key (or, without one, the same message) replaces
        an earlier one. Returns how many of each label were stored."""
        if source.lower() in _NOT_CONFIRMED:
            raise ValueError("the filter learns only from confirmed labels, not its own verdicts")
        by_key: dict[str, tuple[MessageInput, str]] = {}
        for msg, label, key in labelled:
            if label not in ("spam", "ham"):
                raise ValueError(f"label must be 'spam' or 'ham', not {label!r}")
            by_key[_stored_key(key) if key else _message_key(msg)] = (msg, label)  # last wins
        rows = [(msg, label, key) for key, (msg, label) in by_key.items()]
        stored = {"spam": sum(label == "spam" for _, label, _ in rows)}
        stored["ham"] = len(rows) - stored["spam"]
        if not rows:
            return stored
        batch = to_sparse(featurize_batch([msg for msg, _, _ in rows]))
        starts = np.searchsorted(batch.rows, np.arange(len(rows) + 1))
        now = self._clock.now()
        with self._store.learning(portal_id) as conn:
            for i, (_, label, key) in enumerate(rows):
                cols, values = (
                    batch.cols[starts[i] : starts[i + 1]],
                    batch.values[starts[i] : starts[i + 1]],
                )
                example = Example(
                    tuple(int(c) for c in cols),
                    tuple(float(v) for v in values),
                    self._model.logit(cols, values),
                    label == "spam",
                )
                self._store.add_example(
                    conn, portal_id, key, label, source[:40], self._model.name, example, now
                )
            self._refit(conn, portal_id)
        return stored

    def forget(self, portal_id: int, key: str) -> bool:
        """Remove one learned example and its effect; False if there was none."""
        with self._store.learning(portal_id) as conn:
            removed = self._store.delete_example(conn, portal_id, _stored_key(key))
            if removed:
                self._refit(conn, portal_id)
        return removed

    def erase_portal(self, portal_id: int) -> int:
        """Forget everything about one portal (uninstall): lists, examples, its correction.
        Returns how many learned examples were forgotten."""
        removed = self._store.erase_portal(portal_id)
        with self._lock:
            self._corrections.pop(portal_id, None)
        return removed

    def _refit(self, conn: sa.Connection, portal_id: int) -> None:
        # Examples stored under an older model are translated to this one first (whatever
        # touches the portal first after an upgrade, a verdict or a new label, carries them).
        # Those that cannot be translated stay stored, unused, for an operator to see.
        for key, model, example in self._store.foreign_examples(conn, portal_id, self._model.name):
            carried = translate(example, model, self._model)
            if carried is not None:
                self._store.retag_example(conn, portal_id, key, self._model.name, carried)
        examples = self._store.examples(conn, portal_id, self._model.name)
        correction = fit_correction(
            examples, platt_a=self._model.platt_a, platt_b=self._model.platt_b
        )
        self._store.save_correction(
            conn, portal_id, self._model.name, correction, len(examples), self._clock.now()
        )

    # -- lists --------------------------------------------------------------------------------
    def allow(self, portal_id: int, address_or_domain: str) -> None:
        """Never flag mail from this address or domain (sub-domains included) in this portal."""
        self._store.set_entry(
            portal_id, _normalise_entry(address_or_domain), "allow", self._clock.now()
        )

    def block(self, portal_id: int, address_or_domain: str) -> None:
        """Always flag mail from this address or domain (sub-domains included) in this portal."""
        self._store.set_entry(
            portal_id, _normalise_entry(address_or_domain), "block", self._clock.now()
        )

    def unlist(self, portal_id: int, address_or_domain: str) -> bool:
        """Take an address or domain off both lists; False if it was on neither."""
        return self._store.remove_entry(portal_id, _normalise_entry(address_or_domain))

    def lists(self, portal_id: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(allowed, blocked), sorted."""
        entries = self._store.entries(portal_id)
        allowed = tuple(sorted(e for e, k in entries.items() if k == "allow"))
        blocked = tuple(sorted(e for e, k in entries.items() if k == "block"))
        return allowed, blocked
