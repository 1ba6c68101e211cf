// Drives Dynoscale with the AWS SDK for JavaScript v3 (run by tests/sdk/test_js_sdk.py).
//
// ENDPOINT is a `dynoscale serve --clock manual` server. The pass: the tutorial's flow (IAM role
// and policy, a 5/5 table, scalable target, target tracking policy, its four alarms, throttled
// writes, scaling activity, clean-up), CloudWatch metrics in the SDK's default protocol (awsJson1_0,
// query compatible) and in query and rpc-v2-cbor, and a DynamoDB data-plane pass (expressions,
// pagination, batches, transactions, the DocumentClient, errors and throttling). Each check states
// an AWS fact; the process exits 1 if any fails.
import assert from "node:assert/strict";
import * as ddb from "@aws-sdk/client-dynamodb";
import * as lib from "@aws-sdk/lib-dynamodb";
import * as cw from "@aws-sdk/client-cloudwatch";
import * as aas from "@aws-sdk/client-application-auto-scaling";
import * as iam from "@aws-sdk/client-iam";
import * as sts from "@aws-sdk/client-sts";
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from "@aws-sdk/core/protocols";

const endpoint = process.env.ENDPOINT;
if (!endpoint) throw new Error("set ENDPOINT");
const base = {
  endpoint, region: "us-east-1",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
};
const D = new ddb.DynamoDBClient({ ...base, maxAttempts: 1 });
const C = new cw.CloudWatchClient({ ...base, maxAttempts: 1 });
const A = new aas.ApplicationAutoScalingClient({ ...base, maxAttempts: 1 });
const I = new iam.IAMClient({ ...base, maxAttempts: 1 });
const S = new sts.STSClient({ ...base, maxAttempts: 1 });
const suffix = Math.random().toString(36).slice(2, 8);
const WCU = "dynamodb:table:WriteCapacityUnits";

let passed = 0, failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log("ok   ", name);
  } catch (e) {
    failed++;
    console.log("FAIL ", name, "->", e?.name, e?.message);
  }
}
async function rejects(promise, name, status, message) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.name, name, e.message);
    assert.equal(e.$metadata?.httpStatusCode, status, `${name} status`);
    assert.equal(e.$fault, status < 500 ? "client" : "server");
    assert.ok(e.$metadata?.requestId, "request id");
    if (message instanceof RegExp) assert.match(e.message, message);
    else if (message !== undefined) assert.equal(e.message, message);
    return e;
  }
  throw new Error(`expected ${name}`);
}
async function advance(seconds) {
  const r = await fetch(`${endpoint}/_dynoscale/clock`, { method: "POST", body: JSON.stringify({ advance_seconds: seconds }) });
  assert.equal(r.status, 200);
  return (await r.json()).now;
}
const isDate = (d) => d instanceof Date && !Number.isNaN(d.getTime());

// ------------------------------------------------------------------------------ tutorial
const roleName = `MyIAMAutoscalingServiceRole-${suffix}`;
const T = `TestTable-${suffix}`, resourceId = `table/TestTable-${suffix}`;
const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "application-autoscaling.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const policyDoc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["dynamodb:DescribeTable", "dynamodb:UpdateTable", "cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms"], Resource: "*" }] });
let roleArn, policyArn;

await step("STS GetCallerIdentity (query protocol)", async () => {
  const r = await S.send(new sts.GetCallerIdentityCommand({}));
  assert.match(r.Account, /^\d{12}$/);
  assert.match(r.Arn, /^arn:aws:iam::\d{12}:/);
});
await step("IAM CreateRole, PutRolePolicy, CreatePolicy, AttachRolePolicy", async () => {
  const r = await I.send(new iam.CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust }));
  roleArn = r.Role.Arn;
  assert.equal(roleArn, `arn:aws:iam::${roleArn.split(":")[4]}:role/${roleName}`);
  assert.ok(isDate(r.Role.CreateDate));
  await I.send(new iam.PutRolePolicyCommand({ RoleName: roleName, PolicyName: "inline", PolicyDocument: policyDoc }));
  const p = await I.send(new iam.CreatePolicyCommand({ PolicyName: `MyIAMAutoscalingServicePolicy-${suffix}`, PolicyDocument: policyDoc }));
  policyArn = p.Policy.Arn;
  await I.send(new iam.AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
  const l = await I.send(new iam.ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  assert.deepEqual(l.AttachedPolicies.map((x) => x.PolicyArn), [policyArn]);
  assert.equal(l.IsTruncated, false);
  const g = await I.send(new iam.GetRoleCommand({ RoleName: roleName }));
  assert.equal(g.Role.Arn, roleArn);
});
await step("IAM errors: EntityAlreadyExists 409, NoSuchEntity 404", async () => {
  const e = await rejects(I.send(new iam.CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust })), "EntityAlreadyExistsException", 409, `Role with name ${roleName} already exists.`);
  assert.equal(e.Code, "EntityAlreadyExists");
  await rejects(I.send(new iam.GetRoleCommand({ RoleName: `nope-${suffix}` })), "NoSuchEntityException", 404);
});
await step("DynamoDB CreateTable 5/5 + waitUntilTableExists", async () => {
  const r = await D.send(new ddb.CreateTableCommand({
    TableName: T,
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "N" }, { AttributeName: "sk", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
  }));
  assert.equal(r.TableDescription.TableStatus, "CREATING");
  assert.ok(isDate(r.TableDescription.CreationDateTime));
  await advance(10);
  const w = await ddb.waitUntilTableExists({ client: D, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { TableName: T });
  assert.equal(w.state, "SUCCESS");
});
await step("AAS RegisterScalableTarget + PutScalingPolicy + DescribeScalingPolicies (awsJson1_1)", async () => {
  await A.send(new aas.RegisterScalableTargetCommand({ ServiceNamespace: "dynamodb", ResourceId: resourceId, ScalableDimension: WCU, MinCapacity: 5, MaxCapacity: 10, RoleARN: roleArn }));
  const t = await A.send(new aas.DescribeScalableTargetsCommand({ ServiceNamespace: "dynamodb", ResourceIds: [resourceId] }));
  assert.equal(t.ScalableTargets.length, 1);
  assert.equal(t.ScalableTargets[0].MinCapacity, 5);
  assert.ok(isDate(t.ScalableTargets[0].CreationTime));
  const p = await A.send(new aas.PutScalingPolicyCommand({
    PolicyName: "MyScalingPolicy", ServiceNamespace: "dynamodb", ResourceId: resourceId, ScalableDimension: WCU, PolicyType: "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: "DynamoDBWriteCapacityUtilization" }, ScaleOutCooldown: 60, ScaleInCooldown: 60, TargetValue: 50.0 },
  }));
  assert.match(p.PolicyARN, /^arn:aws:autoscaling:us-east-1:\d{12}:scalingPolicy:/);
  assert.equal(p.Alarms.length, 4);
  const d = await A.send(new aas.DescribeScalingPoliciesCommand({ ServiceNamespace: "dynamodb", ResourceId: resourceId, PolicyNames: ["MyScalingPolicy"] }));
  assert.equal(d.ScalingPolicies.length, 1);
  assert.equal(d.ScalingPolicies[0].TargetTrackingScalingPolicyConfiguration.TargetValue, 50);
  assert.ok(isDate(d.ScalingPolicies[0].CreationTime));
});
await step("AAS errors: ObjectNotFoundException 400, ValidationException 400", async () => {
  await rejects(A.send(new aas.DeleteScalingPolicyCommand({ PolicyName: "nope", ServiceNamespace: "dynamodb", ResourceId: resourceId, ScalableDimension: WCU })), "ObjectNotFoundException", 400, /^No scaling policy found for service namespace: dynamodb/);
  await rejects(A.send(new aas.RegisterScalableTargetCommand({ ServiceNamespace: "dynamodb", ResourceId: `table/missing-${suffix}`, ScalableDimension: WCU, MinCapacity: 1, MaxCapacity: 2 })), "ValidationException", 400);
});
await step("CloudWatch DescribeAlarms: the four target tracking alarms", async () => {
  const r = await C.send(new cw.DescribeAlarmsCommand({ AlarmNamePrefix: `TargetTracking-${resourceId}-` }));
  assert.equal(r.MetricAlarms.length, 4);
  for (const a of r.MetricAlarms) {
    assert.ok(isDate(a.StateUpdatedTimestamp) && isDate(a.AlarmConfigurationUpdatedTimestamp));
    assert.equal(typeof a.Threshold, "number");
    assert.equal(a.Namespace, "AWS/DynamoDB");
    assert.deepEqual(a.Dimensions, [{ Name: "TableName", Value: T }]);
  }
});
await step("throttled writes (maxAttempts 1) scale the table to 10 WCU", async () => {
  const filler = "x".repeat(100000);
  let throttled;
  for (let i = 0; i < 10; i++) {
    for (let j = 0; j < 10; j++) {
      for (;;) {
        try {
          await D.send(new ddb.PutItemCommand({ TableName: T, Item: { pk: { N: String(i) }, sk: { N: String(j) }, filler: { S: filler } } }));
          break;
        } catch (e) {
          if (e.name !== "ProvisionedThroughputExceededException") throw e;
          throttled = e;
          await advance(1);
        }
      }
    }
  }
  assert.ok(throttled, "never throttled");
  assert.equal(throttled.$metadata.httpStatusCode, 400);
  assert.equal(throttled.$metadata.attempts, 1);
  assert.match(throttled.message, /^The level of configured provisioned throughput for the table was exceeded/);
  // Minute by minute until the scale-out has finished (later, idle minutes would scale back in).
  let up, acts;
  for (let k = 0; k < 20 && !up; k++) {
    await advance(60);
    acts = await A.send(new aas.DescribeScalingActivitiesCommand({ ServiceNamespace: "dynamodb", ResourceId: resourceId }));
    up = acts.ScalingActivities.find((a) => a.Description === "Setting write capacity units to 10." && a.StatusCode !== "InProgress");
  }
  assert.ok(up, JSON.stringify(acts.ScalingActivities.map((a) => a.Description)));
  assert.match(up.Cause, /^monitor alarm TargetTracking-table\/TestTable-\w+-AlarmHigh-[0-9a-f-]{36} in state ALARM triggered policy MyScalingPolicy$/);
  assert.equal(up.StatusCode, "Successful");
  assert.ok(isDate(up.StartTime) && isDate(up.EndTime));
  const t = await D.send(new ddb.DescribeTableCommand({ TableName: T }));
  assert.equal(t.Table.ProvisionedThroughput.WriteCapacityUnits, 10);
});
await step("tutorial clean-up", async () => {
  await A.send(new aas.DeleteScalingPolicyCommand({ PolicyName: "MyScalingPolicy", ServiceNamespace: "dynamodb", ResourceId: resourceId, ScalableDimension: WCU }));
  await A.send(new aas.DeregisterScalableTargetCommand({ ServiceNamespace: "dynamodb", ResourceId: resourceId, ScalableDimension: WCU }));
  const r = await C.send(new cw.DescribeAlarmsCommand({ AlarmNamePrefix: `TargetTracking-${resourceId}-` }));
  assert.equal(r.MetricAlarms.length, 0);
  await D.send(new ddb.DeleteTableCommand({ TableName: T }));
  await advance(10);
  await ddb.waitUntilTableNotExists({ client: D, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { TableName: T });
  const lp = await I.send(new iam.ListPoliciesCommand({ Scope: "Local" }));
  assert.ok(lp.Policies.some((p) => p.Arn === policyArn));
  await I.send(new iam.DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
  await I.send(new iam.DeletePolicyCommand({ PolicyArn: policyArn }));
  await I.send(new iam.DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: "inline" }));
  await I.send(new iam.DeleteRoleCommand({ RoleName: roleName }));
});

// ------------------------------------------------------------------------------ CloudWatch
const protocols = [["awsJson1_0 (default)", undefined], ["query", AwsQueryProtocol], ["rpc-v2-cbor", AwsSmithyRpcV2CborProtocol]];
for (const [label, protocol] of protocols) {
  await step(`CloudWatch metrics and alarms over ${label}`, async () => {
    const c = new cw.CloudWatchClient({ ...base, maxAttempts: 1, ...(protocol ? { protocol } : {}) });
    const ns = `JsSdk/${suffix}/${label.split(" ")[0]}`;
    const now = new Date((await advance(0)) * 1000);
    const dims = [{ Name: "Svc", Value: "a" }];
    await c.send(new cw.PutMetricDataCommand({ Namespace: ns, MetricData: [
      { MetricName: "Lat", Dimensions: dims, Timestamp: now, Value: 5, Unit: "Milliseconds" },
      { MetricName: "Lat", Dimensions: dims, Timestamp: now, Values: [1, 2, 3], Counts: [1, 1, 2], Unit: "Milliseconds" },
      { MetricName: "Lat", Dimensions: dims, Timestamp: now, StatisticValues: { SampleCount: 2, Sum: 10, Minimum: 4, Maximum: 6 }, Unit: "Milliseconds" },
    ] }));
    const start = new Date(now.getTime() - 600000), end = new Date(now.getTime() + 600000);
    const s = await c.send(new cw.GetMetricStatisticsCommand({ Namespace: ns, MetricName: "Lat", Dimensions: dims, StartTime: start, EndTime: end, Period: 60, Statistics: ["Sum", "SampleCount", "Maximum", "Minimum"] }));
    assert.equal(s.Datapoints.length, 1);
    // 5 + (1 + 2 + 3 * 2) + 10 over 1 + 4 + 2 samples
    assert.deepEqual([s.Datapoints[0].Sum, s.Datapoints[0].SampleCount, s.Datapoints[0].Maximum, s.Datapoints[0].Minimum], [24, 7, 6, 1]);
    assert.equal(s.Datapoints[0].Unit, "Milliseconds");
    assert.ok(isDate(s.Datapoints[0].Timestamp));
    const d = await c.send(new cw.GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: [
      { Id: "m1", MetricStat: { Metric: { Namespace: ns, MetricName: "Lat", Dimensions: dims }, Period: 60, Stat: "Sum" } },
      { Id: "e1", Expression: "m1 * 2" },
    ] }));
    const byId = Object.fromEntries(d.MetricDataResults.map((x) => [x.Id, x]));
    assert.deepEqual(byId.m1.Values, [24]);
    assert.deepEqual(byId.e1.Values, [48]);
    assert.equal(byId.m1.StatusCode, "Complete");
    assert.ok(isDate(byId.m1.Timestamps[0]));
    const l = await c.send(new cw.ListMetricsCommand({ Namespace: ns }));
    assert.deepEqual(l.Metrics, [{ Namespace: ns, MetricName: "Lat", Dimensions: dims }]);
    const alarm = `js-${suffix}-${label.split(" ")[0]}`;
    await c.send(new cw.PutMetricAlarmCommand({ AlarmName: alarm, MetricName: "Lat", Namespace: ns, Statistic: "Sum", Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: "GreaterThanThreshold", Dimensions: dims }));
    await c.send(new cw.SetAlarmStateCommand({ AlarmName: alarm, StateValue: "ALARM", StateReason: "test" }));
    const a = await c.send(new cw.DescribeAlarmsCommand({ AlarmNames: [alarm] }));
    assert.equal(a.MetricAlarms[0].StateValue, "ALARM");
    const h = await c.send(new cw.DescribeAlarmHistoryCommand({ AlarmName: alarm }));
    assert.ok(h.AlarmHistoryItems.length >= 1 && isDate(h.AlarmHistoryItems[0].Timestamp));
    await c.send(new cw.DeleteAlarmsCommand({ AlarmNames: [alarm] }));
    // awsQueryCompatible: the model's shape names the error, the query code rides along as `Code`.
    const e = await rejects(c.send(new cw.DescribeAlarmsCommand({ MaxRecords: 1000 })), "ValidationException", 400,
      "1 validation error detected: Value '1000' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to 100");
    assert.equal(e.Code, "ValidationError");
    const e2 = await rejects(c.send(new cw.GetMetricStatisticsCommand({ Namespace: ns, MetricName: "Lat", StartTime: start, EndTime: end, Period: 7, Statistics: ["Sum"] })), "InvalidParameterValueException", 400,
      "The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60.");
    assert.equal(e2.Code, "InvalidParameterValue");
  });
}

// ------------------------------------------------------------------------------ DynamoDB data plane
const DT = `Data-${suffix}`;
const key = (pk, sk) => ({ pk: { S: pk }, sk: { N: String(sk) } });
await step("CreateTable on-demand with GSI and LSI", async () => {
  await D.send(new ddb.CreateTableCommand({
    TableName: DT, BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }, { AttributeName: "g", AttributeType: "S" }, { AttributeName: "l", AttributeType: "B" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    GlobalSecondaryIndexes: [{ IndexName: "gsi", KeySchema: [{ AttributeName: "g", KeyType: "HASH" }], Projection: { ProjectionType: "ALL" } }],
    LocalSecondaryIndexes: [{ IndexName: "lsi", KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "l", KeyType: "RANGE" }], Projection: { ProjectionType: "KEYS_ONLY" } }],
    Tags: [{ Key: "env", Value: "test" }],
  }));
  await advance(10);
  await ddb.waitUntilTableExists({ client: D, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { TableName: DT });
});
await step("PutItem / GetItem / UpdateItem / DeleteItem with ReturnValues", async () => {
  const p = await D.send(new ddb.PutItemCommand({ TableName: DT, Item: { ...key("a", 1), n: { N: "10" }, b: { B: new Uint8Array([1, 2, 3]) }, ss: { SS: ["x", "y"] }, m: { M: { z: { L: [{ NULL: true }, { BOOL: false }] } } } }, ReturnConsumedCapacity: "TOTAL" }));
  assert.deepEqual(p.ConsumedCapacity, { TableName: DT, CapacityUnits: 1 });
  const g = await D.send(new ddb.GetItemCommand({ TableName: DT, Key: key("a", 1), ConsistentRead: true }));
  assert.deepEqual(Array.from(g.Item.b.B), [1, 2, 3]);
  assert.deepEqual(g.Item.m.M.z.L, [{ NULL: true }, { BOOL: false }]);
  const u = await D.send(new ddb.UpdateItemCommand({ TableName: DT, Key: key("a", 1), UpdateExpression: "SET n = n + :one, #new = :s REMOVE ss ADD cnt :one", ExpressionAttributeNames: { "#new": "new" }, ExpressionAttributeValues: { ":one": { N: "1" }, ":s": { S: "hi" } }, ReturnValues: "UPDATED_NEW" }));
  assert.deepEqual(u.Attributes, { n: { N: "11" }, new: { S: "hi" }, cnt: { N: "1" } });
  const u2 = await D.send(new ddb.UpdateItemCommand({ TableName: DT, Key: key("a", 1), UpdateExpression: "SET n = :v", ExpressionAttributeValues: { ":v": { N: "5" } }, ReturnValues: "ALL_OLD" }));
  assert.deepEqual(u2.Attributes.n, { N: "11" });
  const d = await D.send(new ddb.DeleteItemCommand({ TableName: DT, Key: key("a", 1), ReturnValues: "ALL_OLD" }));
  assert.deepEqual(d.Attributes.n, { N: "5" });
  const g2 = await D.send(new ddb.GetItemCommand({ TableName: DT, Key: key("a", 1) }));
  assert.equal(g2.Item, undefined);
});
await step("errors: ConditionalCheckFailed with Item, ResourceNotFound, ValidationException", async () => {
  await D.send(new ddb.PutItemCommand({ TableName: DT, Item: { ...key("c", 1), v: { N: "1" } } }));
  const e = await rejects(D.send(new ddb.PutItemCommand({ TableName: DT, Item: key("c", 1), ConditionExpression: "attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure: "ALL_OLD" })), "ConditionalCheckFailedException", 400, "The conditional request failed");
  assert.deepEqual(e.Item, { ...key("c", 1), v: { N: "1" } });
  await rejects(D.send(new ddb.GetItemCommand({ TableName: `nope-${suffix}`, Key: key("a", 1) })), "ResourceNotFoundException", 400, "Requested resource not found");
  await rejects(D.send(new ddb.GetItemCommand({ TableName: DT, Key: { pk: { S: "a" } } })), "ValidationException", 400, "The provided key element does not match the schema");
  await rejects(D.send(new ddb.QueryCommand({ TableName: DT, Limit: 0, KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "a" } } })), "ValidationException", 400,
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  await rejects(D.send(new ddb.UpdateItemCommand({ TableName: DT, Key: key("a", 1), UpdateExpression: "SET" })), "ValidationException", 400, /^Invalid UpdateExpression: Syntax error; /);
});
await step("BatchWriteItem / BatchGetItem", async () => {
  const puts = [];
  for (let i = 0; i < 25; i++) puts.push({ PutRequest: { Item: { ...key("q", i), g: { S: `g${i % 3}` }, l: { B: new Uint8Array([i]) } } } });
  const w = await D.send(new ddb.BatchWriteItemCommand({ RequestItems: { [DT]: puts } }));
  assert.deepEqual(w.UnprocessedItems, {});
  const keys = Array.from({ length: 25 }, (_, i) => key("q", i));
  const r = await D.send(new ddb.BatchGetItemCommand({ RequestItems: { [DT]: { Keys: keys, ProjectionExpression: "sk" } } }));
  assert.equal(r.Responses[DT].length, 25);
  assert.deepEqual(r.UnprocessedKeys, {});
  await rejects(D.send(new ddb.BatchGetItemCommand({ RequestItems: { [DT]: { Keys: Array.from({ length: 101 }, (_, i) => key("q", i)) } } })), "ValidationException", 400, /Member must have length less than or equal to 100/);
});
await step("Query with KeyConditionExpression, pagination, GSI and LSI", async () => {
  const items = [];
  let lek;
  do {
    const r = await D.send(new ddb.QueryCommand({ TableName: DT, KeyConditionExpression: "pk = :p AND sk BETWEEN :a AND :b", ExpressionAttributeValues: { ":p": { S: "q" }, ":a": { N: "2" }, ":b": { N: "20" } }, Limit: 5, ExclusiveStartKey: lek, ScanIndexForward: false }));
    items.push(...r.Items);
    lek = r.LastEvaluatedKey;
  } while (lek);
  assert.equal(items.length, 19);
  assert.equal(items[0].sk.N, "20");
  let n = 0;
  for await (const page of ddb.paginateQuery({ client: D, pageSize: 4 }, { TableName: DT, IndexName: "gsi", KeyConditionExpression: "g = :g", ExpressionAttributeValues: { ":g": { S: "g1" } } })) n += page.Count;
  assert.equal(n, 8);
  const lsi = await D.send(new ddb.QueryCommand({ TableName: DT, IndexName: "lsi", KeyConditionExpression: "pk = :p AND l > :l", ExpressionAttributeValues: { ":p": { S: "q" }, ":l": { B: new Uint8Array([20]) } }, Select: "COUNT" }));
  assert.equal(lsi.Count, 4);
});
await step("Scan with segments and a filter", async () => {
  let total = 0;
  for (let segment = 0; segment < 3; segment++) {
    for await (const page of ddb.paginateScan({ client: D, pageSize: 3 }, { TableName: DT, Segment: segment, TotalSegments: 3, FilterExpression: "sk >= :z", ExpressionAttributeValues: { ":z": { N: "0" } } })) total += page.Count;
  }
  assert.equal(total, 26);
});
await step("TransactWriteItems cancelled: CancellationReasons parsed, Item returned", async () => {
  const e = await rejects(D.send(new ddb.TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: DT, Item: key("t", 1) } },
    { ConditionCheck: { TableName: DT, Key: key("c", 1), ConditionExpression: "v = :two", ExpressionAttributeValues: { ":two": { N: "2" } }, ReturnValuesOnConditionCheckFailure: "ALL_OLD" } },
  ] })), "TransactionCanceledException", 400, "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
  assert.deepEqual(e.CancellationReasons, [{ Code: "None" }, { Code: "ConditionalCheckFailed", Message: "The conditional request failed", Item: { ...key("c", 1), v: { N: "1" } } }]);
  await D.send(new ddb.TransactWriteItemsCommand({ ClientRequestToken: `tok-${suffix}`, TransactItems: [{ Put: { TableName: DT, Item: key("t", 1) } }] }));
  const tg = await D.send(new ddb.TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: DT, Key: key("t", 1) } }, { Get: { TableName: DT, Key: key("zz", 1) } }] }));
  assert.deepEqual(tg.Responses, [{ Item: key("t", 1) }, {}]);
});
await step("DocumentClient: sets, big numbers, binary, nested maps", async () => {
  const doc = lib.DynamoDBDocumentClient.from(new ddb.DynamoDBClient({ ...base, maxAttempts: 1 }), { marshallOptions: { removeUndefinedValues: true } });
  const wrapped = lib.DynamoDBDocumentClient.from(new ddb.DynamoDBClient({ ...base, maxAttempts: 1 }), { unmarshallOptions: { wrapNumbers: true } });
  const item = { pk: "doc", sk: 1, ns: new Set([1, 2.5, 3]), ss: new Set(["a", "b"]), bs: new Set([new Uint8Array([1]), new Uint8Array([2])]), big: 12345678901234567890n, bin: new Uint8Array([9, 8]), nested: { a: [1, "two", { three: true, nil: null }], e: [] }, undef: undefined };
  await doc.send(new lib.PutCommand({ TableName: DT, Item: item }));
  const it = (await wrapped.send(new lib.GetCommand({ TableName: DT, Key: { pk: "doc", sk: 1 } }))).Item;
  assert.equal(it.big.value, "12345678901234567890");
  assert.deepEqual([...it.ss].sort(), ["a", "b"]);
  assert.deepEqual([...it.ns].map((x) => x.value).sort(), ["1", "2.5", "3"]);
  assert.equal(it.bs.size, 2);
  assert.deepEqual(Array.from(it.bin), [9, 8]);
  assert.deepEqual(it.nested.e, []);
  assert.equal("undef" in it, false);
  const u = await doc.send(new lib.UpdateCommand({ TableName: DT, Key: { pk: "doc", sk: 1 }, UpdateExpression: "ADD ss :s DELETE ns :n SET nested.a[0] = :x", ExpressionAttributeValues: { ":s": new Set(["c"]), ":n": new Set([1]), ":x": 100 }, ReturnValues: "ALL_NEW" }));
  assert.deepEqual([...u.Attributes.ss].sort(), ["a", "b", "c"]);
  assert.deepEqual([...u.Attributes.ns].sort(), [2.5, 3]);
  assert.deepEqual(u.Attributes.nested.a, [100, "two", { three: true, nil: null }]);
  const q = await doc.send(new lib.QueryCommand({ TableName: DT, KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": "doc" } }));
  assert.equal(q.Count, 1);
  await doc.send(new lib.BatchWriteCommand({ RequestItems: { [DT]: [{ PutRequest: { Item: { pk: "docb", sk: 1, x: 1 } } }, { DeleteRequest: { Key: { pk: "doc", sk: 1 } } }] } }));
  const bg = await doc.send(new lib.BatchGetCommand({ RequestItems: { [DT]: { Keys: [{ pk: "docb", sk: 1 }, { pk: "doc", sk: 1 }] } } }));
  assert.deepEqual(bg.Responses[DT], [{ pk: "docb", sk: 1, x: 1 }]);
  await doc.send(new lib.TransactWriteCommand({ TransactItems: [{ Update: { TableName: DT, Key: { pk: "docb", sk: 1 }, UpdateExpression: "SET x = x + :i", ExpressionAttributeValues: { ":i": 1 } } }] }));
  const s = await doc.send(new lib.ScanCommand({ TableName: DT, FilterExpression: "x = :two", ExpressionAttributeValues: { ":two": 2 } }));
  assert.deepEqual(s.Items, [{ pk: "docb", sk: 1, x: 2 }]);
});
await step("throttling on a 1-WCU table: ProvisionedThroughputExceededException, retried by the SDK", async () => {
  const TT = `Thr-${suffix}`;
  await D.send(new ddb.CreateTableCommand({ TableName: TT, AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }], KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
  await advance(10);
  let err;
  for (let i = 0; i < 1000 && !err; i++) {
    try { await D.send(new ddb.PutItemCommand({ TableName: TT, Item: { pk: { S: `k${i}` }, pad: { S: "x".repeat(900) } } })); } catch (e) { err = e; }
  }
  assert.ok(err, "never throttled");
  assert.equal(err.name, "ProvisionedThroughputExceededException");
  assert.equal(err.$metadata.httpStatusCode, 400);
  assert.equal(err.$metadata.attempts, 1);
  // With retries the SDK treats it as a throttling error and tries again (amz-sdk-request attempt=2).
  const retrying = new ddb.DynamoDBClient({ ...base, maxAttempts: 2 });
  const attempts = [];
  retrying.middlewareStack.add((next) => async (args) => { attempts.push(args.request.headers["amz-sdk-request"]); return next(args); }, { step: "finalizeRequest", name: "recordAttempts", priority: "low" });
  const e2 = await rejects(retrying.send(new ddb.PutItemCommand({ TableName: TT, Item: { pk: { S: "r" }, pad: { S: "x".repeat(900) } } })), "ProvisionedThroughputExceededException", 400);
  assert.deepEqual(attempts, ["attempt=1; max=2", "attempt=2; max=2"]);
  assert.equal(e2.$metadata.attempts, 2);
  await D.send(new ddb.DeleteTableCommand({ TableName: TT }));
});
await step("TagResource / ListTagsOfResource / UpdateTimeToLive / DescribeLimits / DescribeEndpoints", async () => {
  const arn = (await D.send(new ddb.DescribeTableCommand({ TableName: DT }))).Table.TableArn;
  await D.send(new ddb.TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "k2", Value: "v2" }] }));
  const t = await D.send(new ddb.ListTagsOfResourceCommand({ ResourceArn: arn }));
  assert.deepEqual(t.Tags.map((x) => x.Key).sort(), ["env", "k2"]);
  await D.send(new ddb.UntagResourceCommand({ ResourceArn: arn, TagKeys: ["k2"] }));
  const ttl = await D.send(new ddb.UpdateTimeToLiveCommand({ TableName: DT, TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } }));
  assert.deepEqual(ttl.TimeToLiveSpecification, { Enabled: true, AttributeName: "exp" });
  const dt = await D.send(new ddb.DescribeTimeToLiveCommand({ TableName: DT }));
  assert.equal(dt.TimeToLiveDescription.AttributeName, "exp");
  const l = await D.send(new ddb.DescribeLimitsCommand({}));
  assert.deepEqual([l.AccountMaxReadCapacityUnits, l.AccountMaxWriteCapacityUnits, l.TableMaxReadCapacityUnits, l.TableMaxWriteCapacityUnits], [80000, 80000, 40000, 40000]);
  const e = await D.send(new ddb.DescribeEndpointsCommand({}));
  assert.equal(e.Endpoints.length, 1);
  assert.equal(e.Endpoints[0].CachePeriodInMinutes, 1440);
  const lt = await D.send(new ddb.ListTablesCommand({ Limit: 100 }));
  assert.ok(lt.TableNames.includes(DT));
});
await step("UpdateTable to provisioned, then DeleteTable", async () => {
  const u = await D.send(new ddb.UpdateTableCommand({ TableName: DT, BillingMode: "PROVISIONED", ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 }, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: "gsi", ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } } }] }));
  assert.equal(u.TableDescription.TableStatus, "UPDATING");
  await advance(10);
  const t = await D.send(new ddb.DescribeTableCommand({ TableName: DT }));
  assert.equal(t.Table.TableStatus, "ACTIVE");
  assert.equal(t.Table.BillingModeSummary.BillingMode, "PROVISIONED");
  assert.deepEqual([t.Table.ProvisionedThroughput.ReadCapacityUnits, t.Table.ProvisionedThroughput.WriteCapacityUnits], [3, 3]);
  assert.ok(isDate(t.Table.BillingModeSummary.LastUpdateToPayPerRequestDateTime ?? t.Table.CreationDateTime));
  const d = await D.send(new ddb.DeleteTableCommand({ TableName: DT }));
  assert.equal(d.TableDescription.TableStatus, "DELETING");
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
