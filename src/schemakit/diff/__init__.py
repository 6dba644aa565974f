"""``schemakit diff OLD NEW``: how the set of accepted documents changed, proved by documents.

Keyword-by-keyword comparisons guess; this module proves. Schemas are paired (by name, as
renames, and OpenAPI operations by method + path), pairs with identical normal forms are
unchanged by proof (``normal.py``), and for the rest every changed keyword (``changes.py``)
is searched for a *witness*: a document one version accepts and the other rejects, made by
the Hypothesis strategies near the changed keyword and re-checked by both validators
(``search.py``). ``narrowed`` means a document valid under OLD is invalid under NEW;
``widened`` the reverse. A suspected change without a witness within the budget is
reported as not proved, never as a fact.

Modules: ``normal`` (normal forms), ``versions`` (one side and its caches), ``operations``
(OpenAPI slots), ``pairing``, ``keywords`` (what a keyword change may do), ``changes`` (the
parallel walk), ``focus`` (generation aimed at one change), ``search``, ``compare``,
``documents`` (``--documents``), ``findings`` (result values), ``render`` (text and JSON).
"""

from __future__ import annotations

import sys
import types
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..core.extras import needs
from ..core.schemaset import PureSchemaSet
from ..load.loader import load

# witnesses are drawn with Hypothesis: the whole comparison needs the fixtures extra
with needs("fixtures", "schemakit diff (witness search)"):
    from .compare import compare_pair
    from .documents import document_findings
    from .findings import Change, DiffReport, Direction, FailOn, Finding
    from .pairing import pair_versions
    from .search import Witnesses
    from .versions import Version

DEFAULT_BUDGET = 3.0  # seconds of witness search per changed schema

ProgressCallback = Callable[[int, int, str], None]  # (done, total, schema just compared)


def diff(
    old: PureSchemaSet | str | Path,
    new: PureSchemaSet | str | Path,
    *,
    seed: int = 0,
    budget: float = DEFAULT_BUDGET,
    documents: Iterable[str] = (),
    document_schemas: Iterable[str] | None = None,
    allow_remote: bool = False,
    progress: ProgressCallback | None = None,
) -> DiffReport:
    """Compare two versions of a schema set (``PureSchemaSet``s, or sources ``load()`` takes).

    ``budget``: seconds of witness search per changed schema. ``documents``: files (or
    directories) of recorded documents to re-check: those OLD accepts and NEW rejects are
    reported as extra witnesses (against ``document_schemas`` only, when given).
    """
    old_set = old if isinstance(old, PureSchemaSet) else load(old, allow_remote=allow_remote)
    new_set = new if isinstance(new, PureSchemaSet) else load(new, allow_remote=allow_remote)
    from ..strategies import FormatWarning

    with warnings.catch_warnings():
        # A format nobody asserts is generated without it; that cannot affect a witness.
        warnings.simplefilter("ignore", FormatWarning)
        return _diff(old_set, new_set, seed, budget, documents, document_schemas, progress)


def _diff(
    old_set: PureSchemaSet,
    new_set: PureSchemaSet,
    seed: int,
    budget: float,
    documents: Iterable[str],
    document_schemas: Iterable[str] | None,
    progress: ProgressCallback | None,
) -> DiffReport:
    old, new = Version(old_set, "old"), Version(new_set, "new")
    pairing = pair_versions(old, new)
    findings: list[Finding] = []
    unchanged: list[str] = []
    through_refs: dict[str, tuple[str, ...]] = {}
    changed = []
    known = Witnesses(old, new, seed)
    # Referenced schemas first (a bundle embeds every schema its schema refers to), so their
    # witnesses are there to try where a change comes through a ref.
    order = sorted(pairing.pairs, key=lambda pair: (len(new.sources(pair.new)), pair.new))
    for done, pair in enumerate(order, start=1):
        if old.form(pair.old) == new.form(pair.new):
            unchanged.append(pair.new)
        else:
            changed.append(pair)
            found, through = compare_pair(old, new, pair, pairing, seed, budget, known)
            findings.extend(found)
            if through:
                through_refs[pair.new] = through
        if progress is not None:
            progress(done, len(order), pair.new)
    findings.sort(key=Finding.sort_key)
    changed.sort(key=lambda pair: pair.new)
    unreadable: list[str] = []
    documents = list(documents)
    if documents:
        wanted = set(document_schemas) if document_schemas is not None else None
        checked = [pair for pair in changed if wanted is None or pair.new in wanted]
        extra, unreadable = document_findings(old, new, checked, documents)
        findings.extend(extra)
    return DiffReport(
        old=_describe(old_set),
        new=_describe(new_set),
        seed=seed,
        findings=tuple(findings),
        changes=pairing.changes,
        unchanged=tuple(sorted(unchanged)),
        through_refs=dict(sorted(through_refs.items())),
        unreadable=tuple(unreadable),
    )


def _describe(schema_set: PureSchemaSet) -> str:
    return schema_set.source + (" (as published)" if schema_set.upstream else "")


__all__ = [
    "DEFAULT_BUDGET",
    "Change",
    "DiffReport",
    "Direction",
    "FailOn",
    "Finding",
    "diff",
]


class _CallableModule(types.ModuleType):
    """``schemakit.diff`` is this package (the layer the architecture names) and, called,
    the ``diff()`` function: ``schemakit.diff(old_set, new_set)``. A plain function of the
    same name in ``schemakit/__init__.py`` would be replaced by the package the moment the
    package is first imported, so the package itself answers the call."""

    def __call__(self, *args: Any, **kwargs: Any) -> DiffReport:
        return diff(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
