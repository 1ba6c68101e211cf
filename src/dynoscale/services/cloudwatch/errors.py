"""Named constructors for every CloudWatch error Dynoscale emits, with AWS's text.

CloudWatch is awsQueryCompatible: codes are the query-era ones (`InvalidParameterValue`, not
`InvalidParameterValueException`); the protocol layer adds `x-amzn-query-error` for JSON/CBOR.
Codes and HTTP statuses come from the botocore model's error shapes (spec 5.1.3). PutMetricAlarm's
semantic checks answer `ValidationError` (not modelled), as real AWS does: observed
"Period must be 10, 30 or a multiple of 60 (... Error Code: ValidationError ...)"
(awsdocs/aws-cloudformation-user-guide PR #777) and "ValidationError: DatapointsToAlarm must be
less than or equal to EvaluationPeriods" (hashicorp/terraform issue #24070).
Messages marked [inferred] were not found in any AWS source; they follow AWS's wording style.
"""

from __future__ import annotations

from dynoscale.errors import AwsError
from dynoscale.services.cloudwatch.rules import java_double


def invalid_value(message: str) -> AwsError:
    return AwsError("InvalidParameterValue", message, 400)


def missing(message: str) -> AwsError:
    return AwsError("MissingParameter", message, 400)


def combination(message: str) -> AwsError:
    return AwsError("InvalidParameterCombination", message, 400)


def validation(message: str) -> AwsError:
    return AwsError("ValidationError", message, 400)


def invalid_value_for(value: object, parameter: str) -> AwsError:
    # Observed: "The value NaN for parameter MetricData.member.1.Value is invalid."
    # (moto tests mirror AWS; a Java client log shows the same form for -Infinity).
    if isinstance(value, float):
        value = java_double(value)  # AWS prints Java doubles
    return invalid_value(f"The value {value} for parameter {parameter} is invalid.")


def collection_too_large(name: str, limit: int) -> AwsError:
    # Observed on AWS when the limit was 20: "The collection MetricData must not have a size
    # greater than 20."
    return invalid_value(f"The collection {name} must not have a size greater than {limit}.")


def mutually_exclusive(first: str, second: str, code: str = "InvalidParameterCombination") -> AwsError:
    # moto `_validate_parameters_put_metric_data` (texts copied from AWS answers).
    return AwsError(code, f"The parameters {first} and {second} are mutually exclusive and you "
                          "have specified both.", 400)


def start_not_before_end() -> AwsError:
    # moto and several emulators agree on this text; AWS source not found.
    return invalid_value("The parameter StartTime must be less than the parameter EndTime.")


def too_many_datapoints(requested: int) -> AwsError:
    # Observed 2022-2024 (cloud-custodian #7103, #7683, #9897): "You have requested up to 86400
    # datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by
    # increasing Period, or decreasing the time range."
    return combination(f"You have requested up to {requested} datapoints, which exceeds the limit "
                       "of 1440. You may reduce the datapoints requested by increasing Period, or "
                       "decreasing the time range.")


def alarm_period_invalid() -> AwsError:
    # Observed "Period must be 10, 30 or a multiple of 60"; 20 became valid later (model docs).
    return validation("Period must be 10, 20, 30 or a multiple of 60")


def datapoints_to_alarm_too_large() -> AwsError:
    return validation("DatapointsToAlarm must be less than or equal to EvaluationPeriods")


def alarm_not_found(name: str) -> AwsError:
    # [inferred] text; code/status from the model (ResourceNotFound, 404).
    return AwsError("ResourceNotFound", f"Alarm {name} not found", 404)


def invalid_format(message: str) -> AwsError:
    return AwsError("InvalidFormat", message, 400)


def invalid_next_token() -> AwsError:
    # [inferred] text; code/status from the model.
    return AwsError("InvalidNextToken", "The specified NextToken is not valid.", 400)
