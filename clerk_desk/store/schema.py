"""The whole schema: imports every model module so ``Base.metadata`` is complete (Alembic, tests)."""

from __future__ import annotations

from clerk_desk.store import catalog_models, models
from clerk_desk.store.models import Base

MODEL_MODULES = (models, catalog_models)
metadata = Base.metadata

__all__ = ["Base", "metadata", "MODEL_MODULES"]
