"""The dashboard in real headless Chromium (Debian's `chromium` and `chromium-driver`, driven by
selenium through the distribution's chromedriver: no browser or driver download), while the
tutorial's traffic runs at --time-scale 60: the page must show write capacity stepping from 5 to
10, throttle events, AlarmHigh in ALARM and the scaling activity in the timeline, read from the
DOM as it updates. Screenshots at desktop (1280x800) and phone (390x844) size are saved under
test-artifacts/dashboard/ (and the test's tmp_path).
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
WCU = "dynamodb:table:WriteCapacityUnits"
DEADLINE = 150  # wall seconds for the whole scale-out at x60 (about 30 on an idle machine)


def driver_or_skip():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if browser is None or chromedriver is None:
        pytest.skip("Chromium and its driver are not installed (Debian: apt-get install chromium "
                    "chromium-driver; .ci/run and `make test-deps` install them)")
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,800", "--no-first-run", "--disable-extensions"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)


def tutorial_traffic(ddb, stop: threading.Event, throttles: list) -> None:
    """Step 5's program (bulk-load-test-table.py): 100 KB items, pk 0-9 by sk 0-9, as fast as
    the table takes them, looping until the test has seen what it waits for."""
    filler = "x" * 100000
    n = 0
    while not stop.is_set():
        i, j = divmod(n % 100, 10)
        try:
            ddb.put_item(TableName="TestTable", Item={"pk": {"N": str(i)}, "sk": {"N": str(j)},
                                                      "filler": {"S": filler}})
            n += 1
        except ClientError as e:
            if e.response["Error"]["Code"] != "ProvisionedThroughputExceededException":
                raise
            throttles.append(n)
            time.sleep(0.05)


READ_DOM = """
return {
  provisioned: document.getElementById("write-provisioned").textContent,
  throttleEvents: document.getElementById("write-throttle-events").textContent,
  alarms: [...document.querySelectorAll("#alarms tbody tr")].map(r => [r.dataset.alarm, r.dataset.state,
                                                                      r.cells[2].textContent]),
  activities: [...document.querySelectorAll("#activities li")].map(li => ({
    status: li.dataset.status, description: li.querySelector(".description").textContent,
    cause: li.querySelector(".cause").textContent,
    message: (li.querySelector(".message") || {}).textContent || ""})),
};
"""


def test_the_page_shows_the_tutorials_scale_out(make_server, tmp_path):
    driver = driver_or_skip()
    server = make_server("--time-scale", "60", durable=False)
    ddb = server.client("dynamodb")
    ddb.create_table(TableName="TestTable", ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                                   "WriteCapacityUnits": 5},
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "N"},
                                           {"AttributeName": "sk", "AttributeType": "N"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}])
    ddb.get_waiter("table_exists").wait(TableName="TestTable",
                                        WaiterConfig={"Delay": 0.2, "MaxAttempts": 300})
    aas = server.client("application-autoscaling")
    aas.register_scalable_target(ServiceNamespace="dynamodb", ResourceId="table/TestTable",
                                 ScalableDimension=WCU, MinCapacity=5, MaxCapacity=10)
    aas.put_scaling_policy(
        ServiceNamespace="dynamodb", ResourceId="table/TestTable", ScalableDimension=WCU,
        PolicyName="MyScalingPolicy", PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"},
            "TargetValue": 50.0, "ScaleOutCooldown": 60, "ScaleInCooldown": 60})
    stop, throttles = threading.Event(), []
    traffic = threading.Thread(target=tutorial_traffic, args=(ddb, stop, throttles), daemon=True)
    seen = {"provisioned": [], "alarm": False, "activity": None, "throttle_events": 0,
            "high_states": []}
    try:
        driver.get(server.url + "/_dynoscale/ui")
        # The page must be drawing the table before the traffic starts: at x60 the scale-out
        # takes a few wall seconds, less than a first poll may on a busy machine.
        from selenium.webdriver.support.ui import WebDriverWait
        WebDriverWait(driver, 60, poll_frequency=0.1).until(lambda d: d.execute_script(
            "return document.getElementById('write-provisioned').textContent === '5'"),
            message="the page never showed the table's 5 WCU")
        traffic.start()
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline:
            dom = driver.execute_script(READ_DOM)  # one read: the page redraws every poll
            provisioned = dom["provisioned"]
            if provisioned not in ("", "-") and (not seen["provisioned"]
                                                 or seen["provisioned"][-1] != provisioned):
                seen["provisioned"].append(provisioned)
            seen["throttle_events"] = max(seen["throttle_events"], int(dom["throttleEvents"] or 0))
            for name, state, reason in dom["alarms"]:
                if "AlarmHigh" in name:
                    if not seen["high_states"] or seen["high_states"][-1] != state:
                        seen["high_states"].append(state)
                    if state == "ALARM":
                        seen["alarm"], seen["reason"] = name, reason
            for activity in dom["activities"]:
                if activity["description"] == "Setting write capacity units to 10." and \
                        activity["status"] == "Successful":
                    seen["activity"] = activity
            if seen["provisioned"][-1:] == ["10"] and seen["alarm"] and seen["activity"] \
                    and seen["throttle_events"] > 0:
                break
            time.sleep(0.5)
        # The write chart as Plotly holds it: the provisioned line steps from 5 to 10, the
        # throttle-event bars, AlarmHigh's threshold as a line, and the alarm's change to ALARM
        # (red) and the scaling activity (violet) marked on the time axis.
        # ProvisionedWriteCapacityUnits is a five-minute metric: the line steps once the
        # period holding the change is published (five simulated minutes, 5 s at x60).
        WebDriverWait(driver, 60, poll_frequency=0.2).until(lambda d: d.execute_script(
            "const t = document.getElementById('chart-write').data.find(t => t.name === "
            "'provisioned'); return t && t.y[t.y.length - 1] === 10"),
            message="the write chart's provisioned line never reached 10")
        plotted = driver.execute_script(
            "const c = document.getElementById('chart-write');"
            "return {traces: c.data.map(t => ({name: t.name, y: t.y})), shapes: c.layout.shapes"
            ".map(s => s.line.color), notes: c.layout.annotations.map(a => a.text)}")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        widths = {}
        for name, size in (("desktop", (1280, 800)), ("phone", (390, 844))):
            driver.set_window_size(*size)
            time.sleep(1.0)  # a poll at the new size (the charts are responsive)
            for where in (ARTIFACTS, tmp_path):
                driver.save_screenshot(str(where / f"dashboard-{name}.png"))
            widths[name] = driver.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        widest = driver.execute_script(
            "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect()"
            ".right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + "
            "e.className)")
        error = driver.execute_script("return document.body.dataset.error || ''")
    finally:
        stop.set()
        driver.quit()
    assert error == ""
    assert seen["provisioned"][0] == "5" and seen["provisioned"][-1] == "10", seen
    assert seen["throttle_events"] > 0 and throttles, seen
    assert seen["alarm"], seen
    # the alarm's reason and the activity's Cause and StatusMessage, as AWS words them
    assert seen["reason"].startswith("Threshold Crossed: "), seen
    assert seen["activity"]["cause"] == f"monitor alarm {seen['alarm']} in state ALARM triggered " \
        "policy MyScalingPolicy", seen
    assert seen["activity"]["message"] == "Successfully set write capacity units to 10. Change " \
        "successfully fulfilled by dynamodb.", seen
    assert width <= 390 + 1, widest  # the phone layout does not scroll sideways
    for name, (scroll, inner) in widths.items():  # nor the desktop one, at 1280x800
        assert scroll <= inner + 1, (name, scroll, inner)
    # AlarmHigh was seen turning to ALARM (from INSUFFICIENT_DATA or OK), not only in ALARM
    assert seen["high_states"][0] != "ALARM" and "ALARM" in seen["high_states"], seen
    traces = {t["name"]: t["y"] for t in plotted["traces"]}
    provisioned = [v for v in traces["provisioned"] if v is not None]
    # The chart shows a moving window of simulated time: on a loaded machine the minutes at 5 can
    # have scrolled out by the time it is read (the step itself is asserted on the DOM above).
    assert provisioned and provisioned[-1] == 10, provisioned
    if 5 in provisioned:
        assert provisioned.index(10) > provisioned.index(5), provisioned
    assert sum(v or 0 for v in traces["throttle events"]) > 0
    assert "AlarmHigh (ALARM)" in traces, list(traces)
    assert "#d92d20" in plotted["shapes"] and "#7a5af8" in plotted["shapes"], plotted["shapes"]
    assert "scaling" in plotted["notes"]
    # the screenshots were saved, at the two sizes (PNG IHDR: width, height)
    for name, width_px in (("desktop", 1280), ("phone", 390)):
        for where in (ARTIFACTS, tmp_path):
            png = (where / f"dashboard-{name}.png").read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == width_px
