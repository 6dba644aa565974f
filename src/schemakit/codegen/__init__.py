"""Generated dataclass models that round-trip the API's JSON exactly.

``generate_models(schema_set, out_dir)`` writes a package (``models.py``, ``_runtime.py``,
``__init__.py``, ``py.typed``) built by datamodel-code-generator and finished by
``rewrite``; ``check_models`` tells whether a committed package is still what the schemas
give. Stages: ``schema`` (synthetic root, names; ``normalise`` reshapes what the generator
would type too narrowly) -> ``driver`` (the generator, with ``facts`` as template data for
``templates/dataclass.jinja2``) -> ``rewrite`` (what no hook can do) -> ``registry``
(``SCHEMAS``) -> ``package`` (files, atomic write, drift).
"""

from __future__ import annotations

from ..core.errors import CodegenError
from ..core.extras import needs

with needs("models", "schemakit.codegen (model generation)"):
    from .package import (
        DEFAULT_PACKAGE,
        Drift,
        check_models,
        generate_models,
        render_models,
    )

__all__ = [
    "DEFAULT_PACKAGE",
    "CodegenError",
    "Drift",
    "check_models",
    "generate_models",
    "render_models",
]
