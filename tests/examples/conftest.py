"""The live-process fixtures (`live_db`, `live`) of tests/propagation, for the examples."""

from tests.propagation.conftest import (  # noqa: F401 - fixtures and the report hook
    live,
    live_db,
    pytest_runtest_makereport,
)
