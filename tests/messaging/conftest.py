"""The workflow tests' people and walks, for the tests of who hears of what."""
from tests.workflow.conftest import (  # noqa: F401 (fixtures)
    act,
    asset,
    config_overrides,
    nation,
    new_application,
    people,
    walk,
)
