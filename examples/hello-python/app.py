"""SQS consumer that reports partial batch failures."""
import json


def lambda_handler(event, context):
    failures = []
    for record in event.get("Records", []):
        try:
            json.loads(record["body"])
        except ValueError:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
