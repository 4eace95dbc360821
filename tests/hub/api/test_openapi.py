"""schemathesis against the hub's OpenAPI document on a real server: no request makes it fail (5xx),
and every answer matches the document (status codes, content types, response schemas)."""
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 15


def test_no_request_breaks_the_api(server, terminal):
    schema = schemathesis.openapi.from_url(server + "/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} == {"POST /api/v1/enrol", "POST /api/v1/facts", "GET /api/v1/config",
                                               "GET /api/v1/clock"}   # it leaves out the document itself
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(base_url=server, checks=CHECKS)

        check()
