import pytest

from orchestration.project import prepare_dbt_manifest


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest() -> None:
    prepare_dbt_manifest()
