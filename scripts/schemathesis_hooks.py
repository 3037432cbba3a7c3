"""Schemathesis hooks of `schemathesis.py`, loaded through `SCHEMATHESIS_HOOKS`.

A report is accepted only under the id in its address (`id_mismatch` otherwise), a relation
between the path and the body that no JSON Schema states. Left alone, every generated upload
would be refused for that alone, and the negative-data check ("what the schema forbids is
refused") would pass without reaching the rules it is meant to test. So a case whose body
carries a well-formed id is sent to that id's address. A case whose id is itself the part made
invalid (in the path or the body) is left as generated.
"""

import re

import schemathesis

ID = re.compile(r"\A[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


@schemathesis.hook
def map_case(context, case):
    if case.operation.path != "/api/v1/reports/{id}" or case.method.upper() != "PUT":
        return case
    path_id = (case.path_parameters or {}).get("id")
    body_id = case.body.get("id") if isinstance(case.body, dict) else None
    if isinstance(path_id, str) and isinstance(body_id, str) and ID.match(path_id) and ID.match(body_id):
        case.path_parameters["id"] = body_id
    return case
