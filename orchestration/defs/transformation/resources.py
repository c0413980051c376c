import dagster as dg

from orchestration.project import dbt_resource


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"dbt": dbt_resource()})
