"""CloudWatch operations: AWS operation name -> handle(svc, caller, request)."""

from dynoscale.services.cloudwatch.operations import (
    delete_alarms, describe_alarm_history, describe_alarms, describe_alarms_for_metric,
    disable_alarm_actions, enable_alarm_actions, get_metric_data, get_metric_statistics,
    list_metrics, list_tags_for_resource, put_composite_alarm, put_metric_alarm, put_metric_data,
    set_alarm_state, tag_resource, untag_resource)

OPERATIONS = {
    "PutMetricData": put_metric_data.handle,
    "GetMetricStatistics": get_metric_statistics.handle,
    "GetMetricData": get_metric_data.handle,
    "ListMetrics": list_metrics.handle,
    "PutMetricAlarm": put_metric_alarm.handle,
    "PutCompositeAlarm": put_composite_alarm.handle,
    "DescribeAlarms": describe_alarms.handle,
    "DescribeAlarmsForMetric": describe_alarms_for_metric.handle,
    "DeleteAlarms": delete_alarms.handle,
    "SetAlarmState": set_alarm_state.handle,
    "EnableAlarmActions": enable_alarm_actions.handle,
    "DisableAlarmActions": disable_alarm_actions.handle,
    "DescribeAlarmHistory": describe_alarm_history.handle,
    "TagResource": tag_resource.handle,
    "UntagResource": untag_resource.handle,
    "ListTagsForResource": list_tags_for_resource.handle,
}
