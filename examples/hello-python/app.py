"""SQS consumer that reports partial batch failures: a message whose body is not an order fails alone."""
import json

import fastjsonschema

validate_order = fastjsonschema.compile(
    {"type": "object", "required": ["order"], "properties": {"order": {"type": "integer", "minimum": 1}}}
)


def lambda_handler(event, context):
    failures = []
    for record in event.get("Records", []):
        try:
            validate_order(json.loads(record["body"]))
        except (ValueError, fastjsonschema.JsonSchemaException):
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
