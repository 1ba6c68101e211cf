"""Named constructors for every Application Auto Scaling error, with AWS's exact text.

Sources: docs/behaviour/autoscaling-cloudwatch-iam.md §1 (entry numbers in each docstring; the
entries cite the botocore model's error shapes and documentation, and AWS output published
by users). All
modelled client errors are HTTP 400 with a `Message` member (spec 1.1.4). Texts marked
"inferred" were not found in AWS output; they are the best-supported wording.
"""

from __future__ import annotations

from dynoscale.errors import AwsError


def _target_words(namespace: str, resource_id: str, dimension: str) -> str:
    return (f"service namespace: {namespace}, resource ID: {resource_id}, "
            f"scalable dimension: {dimension}")


def validation(message: str) -> AwsError:
    return AwsError("ValidationException", message)


def unsupported_target() -> AwsError:
    """Spec 1.3.4 (observed: pulumi/pulumi-policy-aws #11)."""
    return validation("Unsupported service namespace, resource type or scalable dimension")


def table_not_found(resource_id: str) -> AwsError:
    """Spec 1.4.5 (observed: terraform-aws-dynamodb-table #15)."""
    return validation(f"DynamoDB table does not exist: {resource_id}")


def index_not_found(resource_id: str) -> AwsError:
    """Inferred by analogy with table_not_found (spec 1.4.5)."""
    return validation(f"DynamoDB index does not exist: {resource_id}")


def min_above_max() -> AwsError:
    """Spec 1.4.4: AWS answers ValidationException; exact text not found (inferred)."""
    return validation("Minimum capacity cannot be greater than maximum capacity")


def capacity_required_on_create() -> AwsError:
    """Spec 1.4.2: Min and Max are required on first registration; text inferred."""
    return validation("MinCapacity and MaxCapacity are required when registering a new "
                      "scalable target")


def tags_on_existing_target() -> AwsError:
    """Spec 1.4.6 (observed: terraform-aws-rds-aurora PR #420)."""
    return validation("The scalable target that you tried to tag already exists. To update tags "
                      "on an existing scalable target, use the TagResource API.")


def target_not_found(namespace: str, resource_id: str, dimension: str) -> AwsError:
    """Spec 1.6.2: Deregister of an unknown target ("found")."""
    return AwsError("ObjectNotFoundException",
                    f"No scalable target found for {_target_words(namespace, resource_id, dimension)}")


def target_not_registered(namespace: str, resource_id: str, dimension: str) -> AwsError:
    """Spec 1.7.2: PutScalingPolicy on an unregistered target ("registered")."""
    return AwsError("ObjectNotFoundException",
                    f"No scalable target registered for "
                    f"{_target_words(namespace, resource_id, dimension)}")


def policy_not_found(namespace: str, resource_id: str, dimension: str, name: str) -> AwsError:
    """Spec 1.9.2."""
    return AwsError("ObjectNotFoundException",
                    f"No scaling policy found for {_target_words(namespace, resource_id, dimension)}"
                    f", policy name: {name}")


def duplicate_metric_policy() -> AwsError:
    """Spec 1.7.3 (observed: gravitational/teleport, terraform-provider-aws #41179)."""
    return validation("Only one TargetTrackingScaling policy for a given metric specification is "
                      "allowed.")


def policy_type_required() -> AwsError:
    """Spec 1.7.1: PolicyType is required on create; text inferred."""
    return validation("PolicyType is required when creating a scaling policy")


def policy_type_unsupported(policy_type: str, namespace: str) -> AwsError:
    """Spec 1.3.9 / 4.1: StepScaling and PredictiveScaling are not supported for DynamoDB;
    text inferred."""
    return validation(f"{policy_type} policies are not supported for service namespace: "
                      f"{namespace}")


def tt_configuration_required() -> AwsError:
    """Spec 1.7.1; text inferred."""
    return validation("TargetTrackingScalingPolicyConfiguration is required for a "
                      "TargetTrackingScaling policy")


def metric_specification_required() -> AwsError:
    """Spec 1.7.8: exactly one of Predefined/CustomizedMetricSpecification; text inferred."""
    return validation("Exactly one of PredefinedMetricSpecification or "
                      "CustomizedMetricSpecification must be specified")


def metric_type_unsupported(metric_type: str, dimension: str) -> AwsError:
    """Spec 1.3.8: only the two DynamoDB metric types apply to dynamodb targets; text inferred."""
    return validation(f"Unsupported predefined metric type {metric_type} for scalable "
                      f"dimension {dimension}")


def target_value_out_of_range() -> AwsError:
    """The model's documented range (botocore application-autoscaling,
    TargetTrackingScalingPolicyConfiguration.TargetValue: "it won't accept values that are either
    too small or too large. Values must be in the range of -2^360 to 2^360"); text inferred
    from that wording, AWS's own not found recorded (so it echoes no value: how AWS would
    render one is unknown)."""
    return validation("TargetValue must be in the range of -2^360 to 2^360")


def target_value_not_positive(metric_type: str) -> AwsError:
    """A utilization target of 0 or below (a percentage no capacity can meet); the rule and the
    text are inferred (the model: "The value must be a valid number based on the choice of
    metric")."""
    return validation(f"TargetValue for {metric_type} must be greater than 0")


def customized_metric_unsupported() -> AwsError:
    """Dynoscale limit, not an AWS rule: customized metrics are not emulated (README)."""
    return validation("Dynoscale supports only PredefinedMetricSpecification for dynamodb "
                      "target tracking policies")


def invalid_next_token() -> AwsError:
    """Spec 1.5.4 (declared error); text inferred."""
    return AwsError("InvalidNextTokenException", "Invalid NextToken")


def max_results_out_of_range(limit: int) -> AwsError:
    """Spec 1.12.3 / model docs ("between 1 and N"); text inferred."""
    return validation(f"MaxResults must be between 1 and {limit}")


def resource_not_found(arn: str) -> AwsError:
    """Spec 1.11.1: unknown tagging ARN; carries ResourceName. Text inferred."""
    return AwsError("ResourceNotFoundException", f"No scalable target found for ARN: {arn}",
                    extra={"ResourceName": arn})


def too_many_tags(arn: str) -> AwsError:
    """Spec 1.2.2 / 1.3.6: TooManyTagsException carries ResourceName; at most 50 tags
    (AAS quotas). Text inferred."""
    return AwsError("TooManyTagsException", "The scalable target has too many tags",
                    extra={"ResourceName": arn})


def scheduled_action_not_found(namespace: str, resource_id: str, dimension: str,
                               name: str) -> AwsError:
    """Spec 1.10.4: declared ObjectNotFoundException; text by analogy with policy_not_found."""
    return AwsError("ObjectNotFoundException",
                    f"No scheduled action found for "
                    f"{_target_words(namespace, resource_id, dimension)}, "
                    f"scheduled action name: {name}")


def too_many_scheduled_actions(limit: int) -> AwsError:
    """Spec 1.10.4: 200 scheduled actions per target (AAS quotas); text inferred."""
    return AwsError("LimitExceededException",
                    f"Maximum number of scheduled actions ({limit}) reached for this scalable "
                    f"target")
