"""The dashboard under `--auth verify`, in real headless Chromium (as test_dashboard_browser.py):
the data API refuses what the account root did not sign, so the page asks for a key and signs
its calls itself (SigV4 with SubtleCrypto, in dashboard.js), and the server checks them with the
verifier every client meets. A wrong secret shows AWS's refusal in the page; with the right key
the tables, the item browser and editor (DynamoDB calls signed in the page), the manual clock's
buttons (signed POSTs) and the per-second charts work. Screenshots of the sign-in and of the
signed-in page go to test-artifacts/dashboard/."""

from __future__ import annotations

import json

import pytest

from tests.auth.helpers import MISMATCH, client
from tests.dashboard.test_dashboard_browser import ARTIFACTS, driver_or_skip

KEY = SECRET = "test"  # the server's default root credentials
WAIT = 30  # wall seconds for one thing to show


def wait(driver, script: str, what: str):
    """Poll `return <script>` until it is truthy; its value."""
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, WAIT, poll_frequency=0.1).until(
        lambda d: d.execute_script("return " + script), message=what)


def type_into(driver, element_id: str, text: str) -> None:
    from selenium.webdriver.common.by import By
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def click(driver, element_id: str) -> None:
    from selenium.webdriver.common.by import By
    driver.find_element(By.ID, element_id).click()


@pytest.fixture
def signed_server(make_server):
    server = make_server("--auth", "verify", "--clock", "manual", durable=False)
    ddb = client(server, "dynamodb", KEY, SECRET)
    ddb.create_table(TableName="Signed", ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                                "WriteCapacityUnits": 5},
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    for i in ("a", "b", "c"):
        ddb.put_item(TableName="Signed", Item={"id": {"S": i}, "n": {"N": "1"}})
    return server, ddb


def test_sign_in_and_use_the_dashboard(signed_server, tmp_path):
    server, ddb = signed_server
    driver = driver_or_skip()
    try:
        driver.get(server.url + "/_dynoscale/ui")
        # unsigned: the data API answers 403, the page asks for a key and shows no data
        wait(driver, "document.body.dataset.auth === 'needed' && !document.getElementById('signin').hidden",
             "the sign-in form")
        assert driver.execute_script("return document.querySelectorAll('#tables li').length") == 0
        assert driver.execute_script("return getComputedStyle(document.querySelector('main')).display") == "none"
        for where in (ARTIFACTS, tmp_path):
            where.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(where / "dashboard-sign-in.png"))

        # a wrong secret: the server's refusal, as AWS words it, and still no data
        type_into(driver, "signin-key", KEY)
        type_into(driver, "signin-secret", "wrong")
        click(driver, "signin-submit")
        error = wait(driver, "document.getElementById('signin-error').textContent", "the refusal")
        assert error == f"SignatureDoesNotMatch: {MISMATCH}"
        assert driver.execute_script("return sessionStorage.getItem('dynoscale.credentials')") is None
        assert driver.execute_script("return document.querySelectorAll('#tables li').length") == 0

        # an unknown key: the other refusal
        type_into(driver, "signin-key", "AKIANOSUCHKEY0000000")
        type_into(driver, "signin-secret", SECRET)
        click(driver, "signin-submit")
        wait(driver, "document.getElementById('signin-error').textContent.startsWith('InvalidClientTokenId')",
             "the unknown key's refusal")

        # the root's key: the tables appear, signed in this tab's session
        type_into(driver, "signin-key", KEY)
        type_into(driver, "signin-secret", SECRET)
        click(driver, "signin-submit")
        wait(driver, "document.querySelector('#tables li[data-table=\"Signed\"]')", "the tables")
        assert driver.execute_script("return document.getElementById('signin').hidden") is True
        assert driver.execute_script("return document.body.dataset.auth") == "signed-in"
        assert json.loads(driver.execute_script(
            "return sessionStorage.getItem('dynoscale.credentials')"))["accessKeyId"] == KEY
        wait(driver, "document.getElementById('write-provisioned').textContent === '5'", "capacity")

        # the manual clock's buttons: a signed POST /_dynoscale/clock
        before = server.now()
        wait(driver, "!document.getElementById('clock-buttons').hidden", "the clock buttons")
        driver.execute_script("document.querySelector('button.advance[data-seconds=\"60\"]').click()")
        wait(driver, f"Number(document.getElementById('clock-now').dataset.now) >= {before + 60}",
             "the clock moved a minute")
        assert server.now() == before + 60

        # the item browser: a signed Scan, then a Query with a key condition
        driver.execute_script("document.getElementById('items-form').requestSubmit()")
        wait(driver, "document.querySelectorAll('#items tbody tr').length === 3", "the scanned items")
        assert "3 items (scanned 3)" in driver.execute_script(
            "return document.getElementById('items-status').textContent")
        # paging: two items a page, then the last one
        type_into(driver, "items-limit", "2")
        driver.execute_script("document.getElementById('items-form').requestSubmit()")
        wait(driver, "document.querySelectorAll('#items tbody tr').length === 2 && "
                     "!document.getElementById('items-next').disabled", "a first page of two")
        assert driver.execute_script(
            "return document.getElementById('items-status').textContent") == "2 items (scanned 2) · more"
        click(driver, "items-next")
        wait(driver, "document.querySelectorAll('#items tbody tr').length === 1 && "
                     "document.getElementById('items-next').disabled", "the last page")
        type_into(driver, "items-limit", "25")
        driver.execute_script("document.getElementById('items-status').textContent = ''")
        driver.execute_script("document.getElementById('items-op').value = 'Query'")
        type_into(driver, "items-key", "id = :id")
        type_into(driver, "items-values", '{":id": {"S": "b"}}')
        driver.execute_script("document.getElementById('items-form').requestSubmit()")
        wait(driver, "document.getElementById('items-status').textContent === '1 items (scanned 1)'",
             "the queried item")
        assert driver.execute_script("return document.querySelector('#items tbody td').textContent") \
            == '{"S":"b"}'

        # ... and the editor: a signed PutItem of the edited DynamoDB JSON
        driver.execute_script("document.querySelector('#items tbody tr').click()")
        wait(driver, "!document.getElementById('editor').hidden", "the editor")
        shown = json.loads(driver.execute_script("return document.getElementById('editor-text').value"))
        assert shown == {"id": {"S": "b"}, "n": {"N": "1"}}
        driver.execute_script("document.getElementById('editor-text').value = arguments[0]",
                              json.dumps({"id": {"S": "b"}, "n": {"N": "42"}, "note": {"S": "edited"}}))
        click(driver, "editor-save")
        wait(driver, "document.getElementById('editor-status').textContent === 'saved'", "the save")
        item = ddb.get_item(TableName="Signed", Key={"id": {"S": "b"}}, ConsistentRead=True)["Item"]
        assert item == {"id": {"S": "b"}, "n": {"N": "42"}, "note": {"S": "edited"}}
        # a DynamoDB error is shown as DynamoDB words it
        driver.execute_script("document.getElementById('editor-text').value = '{\"n\": {\"N\": \"1\"}}'")
        click(driver, "editor-save")
        wait(driver, "document.getElementById('editor-status').textContent.startsWith('ValidationException: ')",
             "the editor's error")

        # per second: the last five minutes, with the writes of the page and of boto3
        driver.execute_script("const w = document.getElementById('window'); w.value = 's300';"
                              "w.dispatchEvent(new Event('change'))")
        wait(driver, "document.body.dataset.resolution === 'second'", "the per-second charts")
        chart = wait(driver, "(() => { const d = document.getElementById('chart-write').data;"
                             " return d && d[0].x.length === 300 && d[0].x.length ? d : null })()",
                     "a 300-second chart")
        consumed = [v for v in chart[0]["y"] if v is not None]
        assert sorted(consumed) == [1, 3], consumed  # 3 boto3 puts, then the editor's one
        assert "per second" in driver.execute_script(
            "return document.querySelector('#chart-write .gtitle').textContent")
        driver.execute_script("window.scrollTo(0, 0)")
        for where in (ARTIFACTS, tmp_path):
            driver.save_screenshot(str(where / "dashboard-signed-in.png"))
        # on a phone: the per-second charts and the item browser fit its width
        driver.set_window_size(390, 844)
        wait(driver, "document.documentElement.scrollWidth <= window.innerWidth + 1 && [...document."
             "querySelectorAll('.panel')].every(p => p.scrollHeight <= p.clientHeight + 1) ? 1 : 0",
             "no sideways scrolling on a phone, no panel scrolling inside")
        for where in (ARTIFACTS, tmp_path):
            driver.save_screenshot(str(where / "dashboard-signed-in-phone.png"))
        driver.set_window_size(1280, 800)

        # signing out forgets the key: the form again
        click(driver, "signout")
        wait(driver, "!document.getElementById('signin').hidden", "the sign-in form again")
        assert driver.execute_script("return sessionStorage.getItem('dynoscale.credentials')") is None
        error = driver.execute_script("return document.body.dataset.error || ''")
    finally:
        driver.quit()
    assert error == ""


def outward_address():
    """This machine's address on a non-loopback interface (a UDP connect sends nothing)."""
    import socket
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("203.0.113.1", 9))
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


@pytest.mark.parametrize("auth", ["none", "verify"])
def test_a_page_that_is_not_a_secure_context(make_server, auth):
    """Over plain http to a host other than localhost the browser withholds SubtleCrypto: with
    --auth none the page still works (signatures of the right form are all it checks); under
    --auth verify the sign-in says why it cannot sign."""
    address = outward_address()
    if address is None:
        pytest.skip("no non-loopback IPv4 address to open the page from")
    insecure = ["--allow-insecure-bind"] if auth == "none" else []
    server = make_server("--host", "0.0.0.0", "--auth", auth, *insecure, "--clock", "manual",
                         durable=False)
    ddb = client(server, "dynamodb", KEY, SECRET)
    ddb.create_table(TableName="Plain", BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    ddb.put_item(TableName="Plain", Item={"id": {"S": "x"}})
    driver = driver_or_skip()
    try:
        driver.get(f"http://{address}:{server.port}/_dynoscale/ui")
        assert driver.execute_script("return window.isSecureContext") is False
        if auth == "none":
            wait(driver, "document.querySelector('#tables li[data-table=\"Plain\"]')", "the tables")
            driver.execute_script("document.getElementById('items-form').requestSubmit()")
            wait(driver, "document.querySelectorAll('#items tbody tr').length === 1", "a Scan")
        else:
            wait(driver, "!document.getElementById('signin').hidden", "the sign-in form")
            type_into(driver, "signin-key", KEY)
            type_into(driver, "signin-secret", SECRET)
            click(driver, "signin-submit")
            message = wait(driver, "document.getElementById('signin-error').textContent", "why not")
            assert message.startswith("Signing needs the browser's SubtleCrypto"), message
        error = driver.execute_script("return document.body.dataset.error || ''")
    finally:
        driver.quit()
    assert error == ""
