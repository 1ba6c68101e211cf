"""STS GetCallerIdentity (spec §6.15). With `--auth none` any access key is the account's root
user, which AWS reports as UserId = the account id and Arn `arn:aws:iam::<account>:root`."""

from __future__ import annotations

ACCOUNT = "123456789012"


def test_get_caller_identity_boto3(server):
    ident = server.client("sts").get_caller_identity()
    assert (ident["Account"], ident["UserId"], ident["Arn"]) == (
        ACCOUNT, ACCOUNT, f"arn:aws:iam::{ACCOUNT}:root")


def test_get_caller_identity_cli(server):
    assert server.aws("sts", "get-caller-identity").json == {
        "UserId": ACCOUNT, "Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:root"}


def test_account_id_follows_server_setting(make_server):
    srv = make_server("--account-id", "111122223333", durable=False)
    assert srv.client("sts").get_caller_identity()["Account"] == "111122223333"


def test_twelve_digit_access_key_names_the_account(server):
    # Dynoscale convention (README, as LocalStack): a 12-digit access key id is the account.
    import boto3
    sts = boto3.client("sts", endpoint_url=server.url, region_name="us-east-1",
                       aws_access_key_id="111122223333", aws_secret_access_key="x")
    ident = sts.get_caller_identity()
    assert ident["Account"] == "111122223333"
    assert ident["Arn"] == "arn:aws:iam::111122223333:root"
