"""The dashboard's item browser and clock panel in real headless Chromium (as
test_dashboard_browser.py), under --auth none: a Scan with a filter, a Query of a GSI with a key
condition, both paged; an item viewed and edited as DynamoDB JSON (the page's PutItem, read back
with boto3); the manual clock's mode, simulated now and buttons; the time scale of a scaled clock.
Everything is read from the DOM; the server's state is checked over HTTP."""

from __future__ import annotations

import datetime as dt
import json

from tests.dashboard.test_dashboard_browser import ARTIFACTS, driver_or_skip
from tests.dashboard.test_dashboard_signed import click, type_into, wait


def run(driver):
    driver.execute_script("document.getElementById('items-status').textContent = '';"
                          "document.getElementById('items-form').requestSubmit()")


def rows(driver):
    """The shown items: one dict of column -> cell text per row."""
    return driver.execute_script(
        "const heads = [...document.querySelectorAll('#items thead th')].map(h => h.textContent);"
        "return [...document.querySelectorAll('#items tbody tr')].map(r => Object.fromEntries("
        "[...r.cells].map((c, i) => [heads[i], c.textContent]).filter(([, v]) => v)))")


def status(driver, text, what):
    wait(driver, f"document.getElementById('items-status').textContent === {json.dumps(text)}",
         what)


def test_items_and_the_manual_clock(make_server, tmp_path):
    server = make_server("--clock", "manual", durable=False)
    ddb = server.client("dynamodb")
    ddb.create_table(TableName="Browse", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"},
                                           {"AttributeName": "team", "AttributeType": "S"},
                                           {"AttributeName": "score", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     GlobalSecondaryIndexes=[{
                         "IndexName": "by-team",
                         "KeySchema": [{"AttributeName": "team", "KeyType": "HASH"},
                                       {"AttributeName": "score", "KeyType": "RANGE"}],
                         "Projection": {"ProjectionType": "ALL"}}])
    for i in range(6):
        ddb.put_item(TableName="Browse", Item={"id": {"S": f"i{i}"}, "team": {"S": "ab"[i % 2]},
                                               "score": {"N": str(i * 10)}})
    driver = driver_or_skip()
    try:
        driver.get(server.url + "/_dynoscale/ui")
        wait(driver, "document.querySelector('#tables li[data-table=\"Browse\"]')", "the table")
        driver.execute_script("document.querySelector('#tables li[data-table=\"Browse\"]').click()")
        wait(driver, "!document.getElementById('items-panel').hidden", "the item browser")
        wait(driver, "[...document.getElementById('items-index').options].map(o => o.value)"
                     ".join() === ',by-team'", "the table's index in the browser")

        # -- the clock: manual mode, the simulated now, the buttons
        now = server.now()
        wait(driver, "document.getElementById('clock-mode').textContent === 'manual'", "the mode")
        shown = float(driver.execute_script("return document.getElementById('clock-now').dataset.now"))
        assert abs(shown - now) < 5
        text = driver.execute_script("return document.getElementById('clock-now').textContent")
        assert text.startswith(dt.datetime.fromtimestamp(int(shown), dt.timezone.utc)
                               .strftime("%Y-%m-%dT%H:%M")), text
        assert driver.execute_script("return document.getElementById('clock-scale').textContent") == ""
        assert driver.execute_script("return document.getElementById('clock-buttons').hidden") is False
        driver.execute_script("document.querySelector('button.advance[data-seconds=\"300\"]').click()")
        wait(driver, f"Number(document.getElementById('clock-now').dataset.now) >= {now + 300}",
             "the clock moved five minutes")
        assert server.now() == now + 300

        # -- Scan with a filter: 3 of the 6 items, all of them scanned
        type_into(driver, "items-filter", "score >= :min")
        type_into(driver, "items-values", '{":min": {"N": "30"}}')
        run(driver)
        status(driver, "3 items (scanned 6)", "the filtered scan")
        assert sorted(r["id"] for r in rows(driver)) == ['{"S":"i3"}', '{"S":"i4"}', '{"S":"i5"}']

        # ... paged: Limit bounds the items read, the filter applies to each page (the pages
        # boto3 gets for the same Scan: Scan's order is the hash order)
        kwargs = dict(TableName="Browse", Limit=4, FilterExpression="score >= :min",
                      ExpressionAttributeValues={":min": {"N": "30"}})
        first = ddb.scan(**kwargs)
        second = ddb.scan(**kwargs, ExclusiveStartKey=first["LastEvaluatedKey"])
        assert "LastEvaluatedKey" not in second
        type_into(driver, "items-limit", "4")
        run(driver)
        status(driver, f"{first['Count']} items (scanned 4) · more", "the first page")
        assert sorted(r["id"] for r in rows(driver)) == sorted(
            json.dumps(i["id"], separators=(",", ":")) for i in first["Items"])
        assert driver.execute_script("return document.getElementById('items-next').disabled") is False
        driver.execute_script("document.getElementById('items-status').textContent = ''")
        click(driver, "items-next")
        status(driver, f"{second['Count']} items (scanned 2)", "the second page")
        assert sorted(r["id"] for r in rows(driver)) == sorted(
            json.dumps(i["id"], separators=(",", ":")) for i in second["Items"])
        assert driver.execute_script("return document.getElementById('items-next').disabled") is True

        # -- Query of the GSI: a key condition on its keys, then a filter on another attribute
        driver.execute_script("document.getElementById('items-op').value = 'Query';"
                              "document.getElementById('items-index').value = 'by-team'")
        type_into(driver, "items-filter", "")
        type_into(driver, "items-limit", "2")
        type_into(driver, "items-key", "team = :t AND score > :s")
        type_into(driver, "items-values", '{":t": {"S": "a"}, ":s": {"N": "0"}}')
        run(driver)
        # scores 20 and 40, in order; the page was full, so DynamoDB gives a LastEvaluatedKey
        status(driver, "2 items (scanned 2) · more", "the index query")
        assert [r["score"] for r in rows(driver)] == ['{"N":"20"}', '{"N":"40"}']
        type_into(driver, "items-key", "team = :t")
        type_into(driver, "items-filter", "id <> :x")
        type_into(driver, "items-names", "")
        type_into(driver, "items-values", '{":t": {"S": "b"}, ":x": {"S": "i3"}}')
        run(driver)
        status(driver, "1 items (scanned 2) · more", "the index query's first page")
        assert [r["id"] for r in rows(driver)] == ['{"S":"i1"}']
        driver.execute_script("document.getElementById('items-status').textContent = ''")
        click(driver, "items-next")
        status(driver, "1 items (scanned 1)", "the index query's last page")
        assert [r["id"] for r in rows(driver)] == ['{"S":"i5"}']
        # a key condition DynamoDB refuses: its message in the status line
        type_into(driver, "items-key", "score = :t")
        type_into(driver, "items-filter", "")
        type_into(driver, "items-values", '{":t": {"N": "1"}}')
        run(driver)
        wait(driver, "document.getElementById('items-status').textContent.length > 0", "the error")
        assert "Query condition missed key schema element" in driver.execute_script(
            "return document.getElementById('items-status').textContent")

        # -- view and edit an item as DynamoDB JSON
        driver.execute_script("document.getElementById('items-op').value = 'Scan';"
                              "document.getElementById('items-index').value = ''")
        for field in ("items-key", "items-filter", "items-values"):
            type_into(driver, field, "")
        type_into(driver, "items-limit", "25")
        run(driver)
        status(driver, "6 items (scanned 6)", "the whole table")
        driver.execute_script("[...document.querySelectorAll('#items tbody tr')].find(r => "
                              "r.textContent.includes('\"i2\"')).click()")
        wait(driver, "!document.getElementById('editor').hidden", "the editor")
        shown = json.loads(driver.execute_script("return document.getElementById('editor-text').value"))
        assert shown == {"id": {"S": "i2"}, "team": {"S": "a"}, "score": {"N": "20"}}
        edited = {"id": {"S": "i2"}, "team": {"S": "b"}, "score": {"N": "25"},
                  "tags": {"SS": ["x", "y"]}, "meta": {"M": {"ok": {"BOOL": True}}}}
        driver.execute_script("document.getElementById('editor-text').value = arguments[0]",
                              json.dumps(edited))
        click(driver, "editor-save")
        wait(driver, "document.getElementById('editor-status').textContent === 'saved'", "the save")
        assert ddb.get_item(TableName="Browse", Key={"id": {"S": "i2"}})["Item"] == edited
        # the index sees the edit at once
        got = ddb.query(TableName="Browse", IndexName="by-team", KeyConditionExpression="team = :t",
                        ExpressionAttributeValues={":t": {"S": "b"}})["Items"]
        assert [i["id"]["S"] for i in got] == ["i1", "i2", "i3", "i5"]
        for where in (ARTIFACTS, tmp_path):
            where.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(where / "dashboard-items.png"))

        # -- the region is selectable: another one has no tables, and back
        assert driver.execute_script("return document.getElementById('region').value") == "us-east-1"
        for region, shown in (("eu-west-3", []), ("us-east-1", ["Browse"])):
            # the value as a user commits it (selenium's clear() would fire a change of its own)
            driver.execute_script("document.getElementById('region').value = arguments[0];"
                                  "document.getElementById('scope').dispatchEvent(new Event('change'))",
                                  region)
            wait(driver, "JSON.stringify([...document.querySelectorAll('#tables li')].map(l => "
                         f"l.dataset.table)) === {json.dumps(json.dumps(shown, separators=(',', ':')))}",
                 f"the tables of {region}: " + driver.execute_script(
                     "return JSON.stringify([document.getElementById('region').value, "
                     "document.getElementById('account').value, document.body.dataset.error, "
                     "[...document.querySelectorAll('#tables li')].map(l => l.dataset.table)])"))
            assert driver.execute_script("return document.getElementById('no-tables').hidden") \
                is bool(shown)
        error = driver.execute_script("return document.body.dataset.error || ''")
    finally:
        driver.quit()
    assert error == ""


def test_a_scaled_clock_shows_its_scale_and_no_buttons(make_server):
    server = make_server("--time-scale", "60", durable=False)
    driver = driver_or_skip()
    try:
        driver.get(server.url + "/_dynoscale/ui")
        wait(driver, "document.getElementById('clock-scale').textContent === 'x60'", "the scale")
        mode = driver.execute_script("return document.getElementById('clock-mode').textContent")
        assert mode == server.admin("clock")["mode"] and mode != "manual"
        assert driver.execute_script("return document.getElementById('clock-buttons').hidden") is True
        first = float(driver.execute_script("return document.getElementById('clock-now').dataset.now"))
        # simulated time runs 60 times faster: the page's next polls show it moving by minutes
        wait(driver, f"Number(document.getElementById('clock-now').dataset.now) > {first + 60}",
             "simulated minutes passing")
        error = driver.execute_script("return document.body.dataset.error || ''")
    finally:
        driver.quit()
    assert error == ""
