"""Schemathesis hooks of the contract fuzzing (test/contract.fuzz-spec.ts loads this file).

The OpenAPI document promises message text of the Basic Multilingual Plane only
(src/messaging/common/message-text-pattern.ts): the API counts a text's length in UTF-16 units, as
Twilio does, and only for BMP characters is that the code-point count that `maxLength` states. The
API accepts characters beyond U+FFFF too (emoji), so a body whose only fault is such a character is
schema-violating but rightly accepted. This hook drops exactly that `negative_data_rejection`
failure: when the body, with every character beyond U+FFFF replaced by a BMP letter, satisfies the
operation's schema and nothing outside the body was made invalid. Every other failure is kept.
"""

import re

import schemathesis
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.core.jsonschema import make_validator
from schemathesis.core.parameters import ParameterLocation

BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
OTHER_LOCATIONS = (ParameterLocation.PATH, ParameterLocation.QUERY, ParameterLocation.HEADER, ParameterLocation.COOKIE)


def within_bmp(value):
    """The value with every character beyond U+FFFF, in keys and strings, replaced by "x"."""
    if isinstance(value, str):
        return BEYOND_BMP.sub("x", value)
    if isinstance(value, list):
        return [within_bmp(item) for item in value]
    if isinstance(value, dict):
        return {within_bmp(key): within_bmp(item) for key, item in value.items()}
    return value


def only_fault_is_beyond_bmp(case):
    if case.meta is None or any(case.meta.is_negative_at(location) for location in OTHER_LOCATIONS):
        return False
    stand_in = within_bmp(case.body)
    if stand_in == case.body:
        return False
    body = case.operation.get_body_for_media_type(case.media_type)
    if body is None:
        return False
    validator_cls = case.operation.schema.adapter.jsonschema_validator_cls
    return make_validator(body.optimized_schema, validator_cls).is_valid(stand_in)


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    return not (isinstance(failure, AcceptedNegativeData) and only_fault_is_beyond_bmp(case))
