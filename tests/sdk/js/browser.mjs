// Runs in headless Chromium (tests/sdk/test_browser.py): the AWS SDK for JavaScript v3, bundled
// for the browser with esbuild, calls Dynoscale from a page served on another port, so every
// call is a cross-origin fetch with a CORS preflight. Each check is reported back to the page's
// own origin (POST /result), where the test reads them.
import {
  DynamoDBClient, ListTablesCommand, PutItemCommand, GetItemCommand, QueryCommand,
  DescribeTableCommand,
} from "@aws-sdk/client-dynamodb";

const { endpoint, table } = window.DYNOSCALE;
const client = new DynamoDBClient({
  endpoint, region: "us-east-1", maxAttempts: 1,
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "browser-secret" },
});
const checks = [];

function check(name, ok, detail) {
  checks.push({ name, ok: Boolean(ok), detail: detail === undefined ? null : String(detail) });
}

async function step(name, fn) {
  try {
    await fn();
  } catch (err) {
    check(name, false, `${err && err.name}: ${err && err.message}`);
  }
}

await step("list-tables", async () => {
  const out = await client.send(new ListTablesCommand({}));
  check("list-tables", out.TableNames.includes(table), JSON.stringify(out.TableNames));
  // x-amzn-RequestId is readable only because the endpoint exposes it (CORS Expose-Headers).
  check("request-id-exposed", /^[0-9A-Z]{52}$/.test(out.$metadata.requestId || ""),
        out.$metadata.requestId);
});

await step("put-get", async () => {
  await client.send(new PutItemCommand({ TableName: table, Item: { k: { S: "b1" }, v: { N: "7" } } }));
  const out = await client.send(new GetItemCommand({ TableName: table, Key: { k: { S: "b1" } },
                                                     ConsistentRead: true }));
  check("put-get", out.Item && out.Item.v.N === "7", JSON.stringify(out.Item));
});

await step("large-item", async () => {
  // Over DynamoDB's 4 KB threshold: the browser sends Accept-Encoding with gzip, so the answer
  // arrives compressed and fetch decodes it.
  const big = "x".repeat(20000);
  await client.send(new PutItemCommand({ TableName: table, Item: { k: { S: "big" }, v: { S: big } } }));
  const out = await client.send(new GetItemCommand({ TableName: table, Key: { k: { S: "big" } },
                                                     ConsistentRead: true }));
  check("large-item", out.Item && out.Item.v.S === big, out.Item && out.Item.v.S.length);
});

await step("query", async () => {
  const out = await client.send(new QueryCommand({
    TableName: table, KeyConditionExpression: "k = :k",
    ExpressionAttributeValues: { ":k": { S: "b1" } } }));
  check("query", out.Count === 1 && out.Items[0].v.N === "7", JSON.stringify(out.Items));
});

await step("conditional-check-failed", async () => {
  try {
    await client.send(new PutItemCommand({
      TableName: table, Item: { k: { S: "b1" } }, ConditionExpression: "attribute_not_exists(k)",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD" }));
    check("conditional-check-failed", false, "no error");
  } catch (err) {
    check("conditional-check-failed", err.name === "ConditionalCheckFailedException"
          && err.$metadata.httpStatusCode === 400 && err.Item && err.Item.v.N === "7",
          `${err.name} ${err.$metadata.httpStatusCode} ${JSON.stringify(err.Item)}`);
    check("error-request-id-exposed", /^[0-9A-Z]{52}$/.test(err.$metadata.requestId || ""),
          err.$metadata.requestId);
  }
});

await step("resource-not-found", async () => {
  try {
    await client.send(new DescribeTableCommand({ TableName: "NoSuchTable" }));
    check("resource-not-found", false, "no error");
  } catch (err) {
    check("resource-not-found", err.name === "ResourceNotFoundException"
          && err.message === "Requested resource not found: Table: NoSuchTable not found",
          `${err.name}: ${err.message}`);
  }
});

await fetch("/result", { method: "POST", body: JSON.stringify(checks) });
