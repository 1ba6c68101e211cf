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
from dynoscale.services.cloudwatch.threshold_verdict import java_double


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


def alarm_not_found() -> AwsError:
    # SetAlarmState on an unknown alarm: ResourceNotFound, 404, with no Message at all (LocalStack
    # snapshot tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json::
    # test_set_alarm_invalid_input, recorded against AWS: the Error holds only Code and Type).
    return AwsError("ResourceNotFound", None, 404)


def invalid_format(message: str) -> AwsError:
    return AwsError("InvalidFormat", message, 400)


def invalid_next_token() -> AwsError:
    # [inferred] text; code/status from the model.
    return AwsError("InvalidNextToken", "The specified NextToken is not valid.", 400)


# -- GetMetricData query lists (ValidationError, every problem on its own line) -----------------
# Observed answers list one problem per line, e.g. "The value 5xx_error_FooBar_average for
# parameter MetricDataQueries.member.1.Id is not matching the expected pattern
# ^[a-z][a-zA-Z0-9_]*$.\nThe value ... member.2.Id ..." (influxdata/telegraf#5420), "The value Min
# for parameter MetricDataQueries.member.N.MetricStat.Stat is not a valid statistic."
# (prometheus-community/yet-another-cloudwatch-exporter#385, #1435), "The values for parameter id
# in MetricDataQueries are not unique." (aws-solutions/quota-monitor-for-aws#171) and "The
# parameter MetricDataQueries.member.1.MetricStat is required.\n" (moto, noting that AWS ends the
# message with a line break).
def validation_lines(lines: list[str]) -> AwsError:
    return validation("".join(line + "\n" for line in lines))


def query_id_pattern_line(value: str, index: int) -> str:
    return (f"The value {value} for parameter MetricDataQueries.member.{index}.Id is not "
            "matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.")


def metric_stat_required_line(index: int) -> str:
    return f"The parameter MetricDataQueries.member.{index}.MetricStat is required."


def metric_stat_and_expression_line(index: int) -> str:
    # [inferred] text: the model doc says "you must specify either Expression or MetricStat but
    # not both"; wording of the mutually-exclusive answers of PutMetricData.
    return (f"The parameters MetricDataQueries.member.{index}.MetricStat and "
            f"MetricDataQueries.member.{index}.Expression are mutually exclusive and you have "
            "specified both.")


def stat_invalid_line(value: str, index: int) -> str:
    return (f"The value {value} for parameter MetricDataQueries.member.{index}.MetricStat.Stat "
            "is not a valid statistic.")


QUERY_IDS_NOT_UNIQUE = "The values for parameter id in MetricDataQueries are not unique."


def math_expression(query_id: str, detail: str) -> AwsError:
    # [inferred] text, in the form AWS uses for composite alarm rules: "Error in AlarmRule
    # [Unsupported token ')' at char 1]" (observed, aws/aws-cdk#34662).
    return validation(f"Error in expression {query_id} [{detail}]")


# -- PutMetricAlarm with Metrics (all ValidationError) ------------------------------------------
def invalid_metrics_list() -> AwsError:
    # Observed for an Id not starting with a lower-case letter (aws-cloudformation/cfn-lint#1944,
    # hashicorp/terraform#30804) and for an unknown Stat (terraform-provider-aws#19567).
    return validation("Invalid metrics list")


def return_data_count(expected: int) -> AwsError:
    # Observed: terraform-provider-aws#29894 (one) and #42504 (two, anomaly detection alarms).
    word = "one element" if expected == 1 else "two elements"
    return validation(f"Exactly {word} of the metrics list should return data.")


def threshold_metric_id_not_found() -> AwsError:
    # Observed: terraform-provider-aws#42504.
    return validation("Metrics list must contain exactly one metric matching the "
                      "ThresholdMetricId parameter")


def set_with_metrics(field: str) -> AwsError:
    # Observed for Statistic: "Statistic should not be set if list of Metrics is set."
    # (cloudtools/troposphere#1276); the same form for the other fields is [inferred].
    return validation(f"{field} should not be set if list of Metrics is set.")


def period_null() -> AwsError:
    # Observed for an alarm whose Metrics hold only an expression without Period
    # (terraform-provider-aws#11011, #28617).
    return validation("Period must not be null")


# -- composite alarms (ValidationError) ---------------------------------------------------------
def alarm_rule(detail: str) -> AwsError:
    # Observed: "Error in AlarmRule [Unsupported token ')' at char 1]" (aws/aws-cdk#34662).
    return validation(f"Error in AlarmRule [{detail}]")


def composite_children_missing(refs: list[str]) -> AwsError:
    # Observed: "Could not save the composite alarm as alarms [...] in the alarm rule do not
    # exist" (awsdocs/aws-cloudformation-user-guide#911); the ", " between names is [inferred].
    return validation(f"Could not save the composite alarm as alarms [{', '.join(refs)}] in the "
                      "alarm rule do not exist")


def composite_depends(names: list[str]) -> AwsError:
    # Observed: "Cannot delete alarm2-scaleup-t3aSmall as there are composite alarm(s) depending
    # on it." (ekristen/aws-nuke#462) and "Cannot delete abc,xyz as there are composite alarm(s)
    # depending on them." (cloud-custodian/cloud-custodian#7763).
    pronoun = "it" if len(names) == 1 else "them"
    return validation(f"Cannot delete {','.join(names)} as there are composite alarm(s) "
                      f"depending on {pronoun}.")


def too_many_composites() -> AwsError:
    # [inferred] text; the rule is the model doc of DeleteAlarms ("this total can include no
    # more than one composite alarm").
    return validation("DeleteAlarms can delete no more than one composite alarm in one call.")


def suppressor_periods() -> AwsError:
    # [inferred] text; the rule is the model doc of PutCompositeAlarm ("WaitPeriod is required
    # only when ActionsSuppressor is specified").
    return validation("ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod are "
                      "required when ActionsSuppressor is specified.")


def family_filter_combination(parameter: str) -> AwsError:
    # [inferred] text; the rule is the model doc of DescribeAlarms ("you cannot specify any other
    # parameters in the request except for MaxRecords and NextToken ... a validation error").
    return validation(f"If {parameter} is specified, no parameters other than MaxRecords and "
                      "NextToken can be specified.")


# -- tagging (TagResource, UntagResource, ListTagsForResource) ----------------------------------
def tag_resource_not_found() -> AwsError:
    # Code and 404 from the model (ResourceNotFoundException); the text "Unknown" is what moto's
    # tests assert for TagResource/UntagResource on an unknown alarm ARN
    # (getmoto/moto tests/test_cloudwatch/test_cloudwatch_tags.py); no AWS capture found.
    return AwsError("ResourceNotFoundException", "Unknown", 404)


def invalid_arn(arn: str) -> AwsError:
    # [inferred] text; code from the model (InvalidParameterValueException -> InvalidParameterValue).
    return invalid_value(f"Invalid ARN: {arn}")


def too_many_tags() -> AwsError:
    # [inferred] text and code; the limit of 50 tags is the model doc of TagResource.
    return invalid_value("The number of tags on a resource must not exceed 50.")
