"""The AWS-managed policies Dynoscale knows: `arn:aws:iam::aws:policy/...`, owned by AWS, the same
in every account, never changed by a user (IAM User Guide, "AWS managed policies").

Each entry is the policy as AWS shows it: name, path, PolicyId, default version and its document,
dates and description. Sources, per policy, the AWS Managed Policy Reference guide page
https://docs.aws.amazon.com/aws-managed-policy/latest/reference/<Name>.html (description,
creation and edit time, default version, JSON document). The PolicyIds are those ListPolicies
returns on AWS (the list kept in wallix/awless, aws/spec; AdministratorAccess's GetPolicy output,
ANPAIWMBCKSKIEE64ZLYK created 2015-02-06T18:39:46Z, is quoted in public tutorials), and a
version's CreateDate, to the second, is GetPolicyVersion's answer for that version as recorded by
zoph-io/MAMIP and zoph-io/IAMTrail (which track every AWS-managed policy's versions). Where only
the reference page's minute is known the seconds are 00 [inferred].

ReadOnlyAccess (v178) holds some 2,000 actions of every AWS service; here its document keeps only
the entries of the services Dynoscale serves (application-autoscaling, cloudwatch, dynamodb, iam,
sts), in AWS's order, so GetPolicyVersion shows that subset, and evaluation is the same for every
action Dynoscale can be asked for.

The per-account numbers (AttachmentCount, PermissionsBoundaryUsageCount) are not here: entities.py
keeps them per account.
"""

from __future__ import annotations

import calendar
import json
import time
from dataclasses import dataclass
from typing import Any, Optional

from dynoscale.services.iam import ids

REFERENCE = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/{}.html"


def _when(text: str) -> float:
    return float(calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")))


@dataclass(frozen=True)
class AwsPolicy:
    name: str
    path: str
    policy_id: str
    version: str        # the default version's id
    created: str        # GetPolicy CreateDate
    updated: str        # GetPolicy UpdateDate = the default version's CreateDate
    description: str
    document: dict

    @property
    def arn(self) -> str:
        return ids.policy_arn("aws", self.path, self.name)

    def record(self) -> dict[str, Any]:
        """The policy in entities.py's record form, counts zero, marked `aws_managed`."""
        updated = _when(self.updated)
        return {"PolicyName": self.name, "PolicyId": self.policy_id, "Arn": self.arn,
                "Path": self.path, "DefaultVersionId": self.version, "AttachmentCount": 0,
                "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
                "CreateDate": _when(self.created), "UpdateDate": updated,
                "Description": self.description, "Tags": [],
                "versions": [{"VersionId": self.version, "Document": json.dumps(self.document),
                              "IsDefaultVersion": True, "CreateDate": updated}],
                "aws_managed": True}


def _doc(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(action, resource: Any = "*", **extra) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


_DDB_FULL_ACTIONS = [
    "dynamodb:*", "dax:*",
    "application-autoscaling:DeleteScalingPolicy",
    "application-autoscaling:DeregisterScalableTarget",
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingActivities",
    "application-autoscaling:DescribeScalingPolicies",
    "application-autoscaling:PutScalingPolicy",
    "application-autoscaling:RegisterScalableTarget",
    "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms",
    "cloudwatch:DescribeAlarmsForMetric", "cloudwatch:GetMetricStatistics",
    "cloudwatch:ListMetrics", "cloudwatch:PutMetricAlarm", "cloudwatch:GetMetricData",
    "datapipeline:ActivatePipeline", "datapipeline:CreatePipeline", "datapipeline:DeletePipeline",
    "datapipeline:DescribeObjects", "datapipeline:DescribePipelines",
    "datapipeline:GetPipelineDefinition", "datapipeline:ListPipelines",
    "datapipeline:PutPipelineDefinition", "datapipeline:QueryObjects",
    "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
    "iam:GetRole", "iam:ListRoles", "kms:DescribeKey", "kms:ListAliases",
    "sns:CreateTopic", "sns:DeleteTopic", "sns:ListSubscriptions", "sns:ListSubscriptionsByTopic",
    "sns:ListTopics", "sns:Subscribe", "sns:Unsubscribe", "sns:SetTopicAttributes",
    "lambda:CreateFunction", "lambda:ListFunctions", "lambda:ListEventSourceMappings",
    "lambda:CreateEventSourceMapping", "lambda:DeleteEventSourceMapping",
    "lambda:GetFunctionConfiguration", "lambda:DeleteFunction",
    "resource-groups:ListGroups", "resource-groups:ListGroupResources", "resource-groups:GetGroup",
    "resource-groups:GetGroupQuery", "resource-groups:DeleteGroup", "resource-groups:CreateGroup",
    "tag:GetResources", "kinesis:ListStreams", "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary"]

_DDB_READ_ACTIONS = [
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingActivities",
    "application-autoscaling:DescribeScalingPolicies",
    "cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms",
    "cloudwatch:DescribeAlarmsForMetric", "cloudwatch:GetMetricStatistics",
    "cloudwatch:ListMetrics", "cloudwatch:GetMetricData",
    "datapipeline:DescribeObjects", "datapipeline:DescribePipelines",
    "datapipeline:GetPipelineDefinition", "datapipeline:ListPipelines",
    "datapipeline:QueryObjects",
    "dynamodb:BatchGetItem", "dynamodb:Describe*", "dynamodb:List*", "dynamodb:GetAbacStatus",
    "dynamodb:GetItem", "dynamodb:GetResourcePolicy", "dynamodb:Query", "dynamodb:Scan",
    "dynamodb:PartiQLSelect",
    "dax:Describe*", "dax:List*", "dax:GetItem", "dax:BatchGetItem", "dax:Query", "dax:Scan",
    "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
    "iam:GetRole", "iam:ListRoles", "kms:DescribeKey", "kms:ListAliases",
    "sns:ListSubscriptionsByTopic", "sns:ListTopics",
    "lambda:ListFunctions", "lambda:ListEventSourceMappings", "lambda:GetFunctionConfiguration",
    "resource-groups:ListGroups", "resource-groups:ListGroupResources", "resource-groups:GetGroup",
    "resource-groups:GetGroupQuery", "tag:GetResources",
    "kinesis:ListStreams", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary"]

_CW_READ_ACTIONS = [
    "application-autoscaling:DescribeScalingPolicies", "application-signals:BatchGet*",
    "application-signals:Get*", "application-signals:List*", "autoscaling:Describe*",
    "cloudtrail:ListChannels", "cloudwatch:BatchGet*", "cloudwatch:Describe*",
    "cloudwatch:GenerateQuery", "cloudwatch:Get*", "cloudwatch:List*",
    "logs:Get*", "logs:List*", "logs:StartQuery", "logs:StopQuery", "logs:Describe*",
    "logs:TestMetricFilter", "logs:FilterLogEvents", "logs:StartLiveTail", "logs:StopLiveTail",
    "oam:ListSinks",
    "observabilityadmin:GetCentralizationRuleForOrganization",
    "observabilityadmin:ListCentralizationRulesForOrganization",
    "observabilityadmin:GetTelemetryEvaluationStatus",
    "observabilityadmin:GetTelemetryEvaluationStatusForOrganization",
    "observabilityadmin:GetTelemetryRule", "observabilityadmin:GetTelemetryRuleForOrganization",
    "observabilityadmin:ListResourceTelemetry",
    "observabilityadmin:ListResourceTelemetryForOrganization",
    "observabilityadmin:ListTelemetryRules", "observabilityadmin:ListTelemetryRulesForOrganization",
    "observabilityadmin:GetTelemetryEnrichmentStatus", "observabilityadmin:ListTagsForResource",
    "observabilityadmin:GetTelemetryPipeline", "observabilityadmin:ListTelemetryPipelines",
    "observabilityadmin:TestTelemetryPipeline",
    "observabilityadmin:ValidateTelemetryPipelineConfiguration",
    "observabilityadmin:GetS3TableIntegration", "observabilityadmin:ListS3TableIntegrations",
    "sns:Get*", "sns:List*", "rum:BatchGet*", "rum:Get*", "rum:List*",
    "synthetics:Describe*", "synthetics:Get*", "synthetics:List*",
    "xray:BatchGet*", "xray:Get*", "xray:List*", "xray:StartTraceRetrieval",
    "xray:CancelTraceRetrieval"]

CATALOGUE: tuple[AwsPolicy, ...] = (
    AwsPolicy("AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", "v1",
              "2015-02-06T18:39:46Z", "2015-02-06T18:39:46Z",
              "Provides full access to AWS services and resources.",
              _doc(_allow("*"))),
    AwsPolicy("AmazonDynamoDBFullAccess", "/", "ANPAINUGF2JSOSUY76KYA", "v15",
              "2015-02-06T18:40:00Z", "2021-01-29T17:38:30Z",
              "Provides full access to Amazon DynamoDB via the AWS Management Console.",
              _doc({"Action": _DDB_FULL_ACTIONS, "Effect": "Allow", "Resource": "*"},
                   {"Action": "cloudwatch:GetInsightRuleReport", "Effect": "Allow",
                    "Resource": "arn:aws:cloudwatch:*:*:insight-rule/DynamoDBContributorInsights*"},
                   {"Action": ["iam:PassRole"], "Effect": "Allow", "Resource": "*",
                    "Condition": {"StringLike": {"iam:PassedToService": [
                        "application-autoscaling.amazonaws.com",
                        "application-autoscaling.amazonaws.com.cn", "dax.amazonaws.com"]}}},
                   {"Effect": "Allow", "Action": ["iam:CreateServiceLinkedRole"], "Resource": "*",
                    "Condition": {"StringEquals": {"iam:AWSServiceName": [
                        "replication.dynamodb.amazonaws.com", "dax.amazonaws.com",
                        "dynamodb.application-autoscaling.amazonaws.com",
                        "contributorinsights.dynamodb.amazonaws.com",
                        "kinesisreplication.dynamodb.amazonaws.com"]}}})),
    AwsPolicy("AmazonDynamoDBReadOnlyAccess", "/", "ANPAIY2XFNA232XJ6J7X2", "v15",
              "2015-02-06T18:40:00Z", "2024-11-18T17:38:15Z",
              "Provides read only access to Amazon DynamoDB via the AWS Management Console.",
              _doc({"Sid": "GeneralReadOnlyAccess", "Action": _DDB_READ_ACTIONS,
                    "Effect": "Allow", "Resource": "*"},
                   {"Sid": "CCIAccess", "Action": "cloudwatch:GetInsightRuleReport",
                    "Effect": "Allow",
                    "Resource": "arn:aws:cloudwatch:*:*:insight-rule/DynamoDBContributorInsights*"})),
    AwsPolicy("AWSApplicationAutoscalingDynamoDBTablePolicy", "/aws-service-role/",
              # the PolicyId is not recorded in any source at hand: a fixed id in AWS's form
              "ANPAJ2LTKZ6GPVMC5YVHU", "v1", "2017-10-20T21:34:00Z", "2017-10-20T21:34:00Z",
              "Policy granting permissions to Application Auto Scaling to access DynamoDB and "
              "CloudWatch",
              _doc(_allow(["dynamodb:DescribeTable", "dynamodb:UpdateTable",
                           "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms",
                           "cloudwatch:DeleteAlarms"]))),
    AwsPolicy("CloudWatchFullAccess", "/", "ANPAIKEABORKUXN6DEAZU", "v4",
              "2015-02-06T18:40:00Z", "2022-11-27T13:23:49Z",
              "Provides full access to CloudWatch.",
              _doc({"Effect": "Allow", "Action": [
                  "autoscaling:Describe*", "cloudwatch:*", "logs:*", "sns:*", "iam:GetPolicy",
                  "iam:GetPolicyVersion", "iam:GetRole", "oam:ListSinks"], "Resource": "*"},
                  {"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole",
                   "Resource": "arn:aws:iam::*:role/aws-service-role/events.amazonaws.com/"
                               "AWSServiceRoleForCloudWatchEvents*",
                   "Condition": {"StringLike": {"iam:AWSServiceName": "events.amazonaws.com"}}},
                  {"Effect": "Allow", "Action": ["oam:ListAttachedLinks"],
                   "Resource": "arn:aws:oam:*:*:sink/*"})),
    AwsPolicy("CloudWatchReadOnlyAccess", "/", "ANPAJN23PDQP7SZQAE3QE", "v24",
              "2015-02-06T18:40:00Z", "2026-02-12T18:01:50Z",
              "Provides read only access to CloudWatch.",
              _doc({"Sid": "CloudWatchReadOnlyAccessPermissions", "Effect": "Allow",
                    "Action": _CW_READ_ACTIONS, "Resource": "*"},
                   {"Sid": "OAMReadPermissions", "Effect": "Allow",
                    "Action": ["oam:ListAttachedLinks"], "Resource": "arn:aws:oam:*:*:sink/*"},
                   {"Sid": "CloudWatchReadOnlyGetRolePermissions", "Effect": "Allow",
                    "Action": "iam:GetRole",
                    "Resource": "arn:aws:iam::*:role/aws-service-role/application-signals."
                                "cloudwatch.amazonaws.com/AWSServiceRoleForCloudWatchApplicationSignals"},
                   {"Sid": "CloudWatchCloudTrailPermissions", "Effect": "Allow",
                    "Action": ["cloudtrail:GetChannel"],
                    "Resource": "arn:aws:cloudtrail:*:*:channel/aws-service-channel/"
                                "application-signals/*"},
                   {"Sid": "CloudWatchServiceQuotaPermissions", "Effect": "Allow",
                    "Action": ["servicequotas:GetServiceQuota"],
                    "Resource": [f"arn:aws:servicequotas:*:*:{s}/*" for s in (
                        "s3", "dynamodb", "kinesis", "sns", "bedrock", "lambda", "fargate",
                        "elasticloadbalancing", "ec2")]},
                   {"Sid": "CloudWatchResourceExplorerPermissions", "Effect": "Allow",
                    "Action": ["resource-explorer-2:ListIndexes", "resource-explorer-2:Search"],
                    "Resource": [
                        "arn:aws:resource-explorer-2:*::view/AWSServiceViewForApplicationSignals/"
                        "service-view",
                        "arn:aws:resource-explorer-2:*::view/"
                        "AWSServiceViewForApplicationSignalsOrgScopeProd/service-view"]})),
    AwsPolicy("IAMFullAccess", "/", "ANPAI7XKCFMBPM3QQRRVQ", "v2",
              "2015-02-06T18:40:00Z", "2019-06-21T19:40:00Z",
              "Provides full access to IAM via the AWS Management Console.",
              _doc(_allow(["iam:*", "organizations:DescribeAccount",
                           "organizations:DescribeOrganization",
                           "organizations:DescribeOrganizationalUnit",
                           "organizations:DescribePolicy", "organizations:ListChildren",
                           "organizations:ListParents", "organizations:ListPoliciesForTarget",
                           "organizations:ListRoots", "organizations:ListPolicies",
                           "organizations:ListTargetsForPolicy"]))),
    AwsPolicy("IAMReadOnlyAccess", "/", "ANPAJKSO7NDY4T57MWDSQ", "v4",
              "2015-02-06T18:40:00Z", "2018-01-25T19:11:27Z",
              "Provides read only access to IAM via the AWS Management Console.",
              _doc(_allow(["iam:GenerateCredentialReport", "iam:GenerateServiceLastAccessedDetails",
                           "iam:Get*", "iam:List*", "iam:SimulateCustomPolicy",
                           "iam:SimulatePrincipalPolicy"]))),
    AwsPolicy("PowerUserAccess", "/", "ANPAJYRXTHIB4FOVS3ZXS", "v12",
              "2015-02-06T18:39:00Z", "2026-02-12T17:59:14Z",
              "Provides full access to AWS services and resources, but does not allow management "
              "of Users and groups.",
              _doc({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"],
                    "Resource": "*"},
                   _allow(["account:GetAccountInformation", "account:GetGovCloudAccountInformation",
                           "account:GetPrimaryEmail", "account:ListRegions",
                           "iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole",
                           "iam:ListRoles", "organizations:DescribeEffectivePolicy",
                           "organizations:DescribeOrganization"]))),
    AwsPolicy("ReadOnlyAccess", "/", "ANPAILL3HVNFSB6DCOWYQ", "v178",
              "2015-02-06T18:39:00Z", "2026-02-12T18:01:33Z",
              "Provides read-only access to AWS services and resources.",
              _doc({"Sid": "ReadOnlyActionsGroup1", "Effect": "Allow", "Action": [
                  "application-autoscaling:Describe*",
                  "application-autoscaling:GetPredictiveScalingForecast",
                  "application-autoscaling:ListTagsForResource",
                  "cloudwatch:Describe*", "cloudwatch:GenerateQuery",
                  "cloudwatch:GenerateQueryResultsSummary", "cloudwatch:Get*", "cloudwatch:List*",
                  "dynamodb:BatchGet*", "dynamodb:Describe*", "dynamodb:Get*", "dynamodb:List*",
                  "dynamodb:PartiQLSelect", "dynamodb:Query", "dynamodb:Scan",
                  "iam:Generate*", "iam:Get*", "iam:List*", "iam:Simulate*"], "Resource": "*"},
                  # AWS's later statement (Sid inferred: the one that begins at kafka:Describe*)
                  {"Sid": "ReadOnlyActionsGroup2", "Effect": "Allow", "Action": [
                      "sts:GetAccessKeyInfo", "sts:GetCallerIdentity", "sts:GetSessionToken"],
                   "Resource": "*"})),
)

_BY_ARN = {p.arn.lower(): p for p in CATALOGUE}


def find(arn: str) -> Optional[AwsPolicy]:
    """The catalogue's policy with this ARN (compared case-insensitively, as IAM compares policy
    names), or None."""
    return _BY_ARN.get(arn.lower())


def service_role(policy: dict[str, Any]) -> bool:
    """A policy of a service-linked role (path /aws-service-role/): only AWS attaches it."""
    return policy.get("aws_managed", False) and policy["Path"].startswith("/aws-service-role/")
