"""SigV4: read the access key, region and service from the credential scope, and refuse a
signature that is missing or malformed as AWS's front end refuses it.

`--auth none` accepts any credentials and does not compute signatures, but a request must still
be signed (header or presigned query) with a signature of the right form, as on AWS. The checks
and their texts are DynamoDB's as dynalite records them (index.js and test/connection.js, against
AWS), in AWS's order: both a header and a presigned query (InvalidSignature); no `AWS4-` header
and no presigned query (MissingAuthenticationToken); a part without "=" (recorded from STS and
DynamoDB, see `_from_header`), then missing parameters or date
(IncompleteSignature); the X-Amz-Date format; `host` not signed; the algorithm; the credential's
five parts; its terminator and date. The expiry of a signature is not checked (the clock may be
simulated), nor the scope's region and service, which route the request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Union
from urllib.parse import parse_qsl


@dataclass(frozen=True)
class Credential:
    access_key: str
    date: str
    region: str
    service: str


@dataclass(frozen=True)
class SignatureProblem:
    """A signature AWS refuses: IncompleteSignature (`incomplete`) or InvalidSignature."""
    incomplete: bool
    message: str


Signature = Union[Credential, SignatureProblem, None]

_SPLIT = re.compile(r"[, ]")
_BASIC_DATE = re.compile(r"\d{8}T\d{6}Z")
_ALGORITHM = "AWS4-HMAC-SHA256"
_QUERY_PARAMS = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders",
                 "X-Amz-Date")


def parse(headers: dict[str, str], form: Optional[dict[str, str]] = None,
          query: str = "") -> Signature:
    """The credential scope of a signed request; None when the request is not signed; a
    SignatureProblem when its signature is malformed."""
    auth = headers.get("authorization", "")
    if auth.startswith(_SDK_FORM):  # what every SDK sends: the checks' outcome is cached
        found = _fast(auth, headers.get("x-amz-date", ""), form, query)
        if found is not None:
            return found
    presigned = _presigned(form, query)
    if auth and presigned is not None:
        return SignatureProblem(False, "Found both 'X-Amz-Algorithm' as a query-string param and "
                                       "'Authorization' as HTTP header.")
    if auth:
        if not auth.strip().startswith("AWS4-"):
            return None
        return _from_header(auth, headers)
    if presigned is not None:
        return _from_query(presigned)
    return None


_SDK_FORM = "AWS4-HMAC-SHA256 Credential="


def _fast(auth: str, amz_date: str, form: Optional[dict[str, str]],
          query: str) -> Optional[Credential]:
    """The credential of a well-formed SDK signature, from a cache keyed by everything before
    its `Signature=` (the same for every request of a client and day); None: decide slowly."""
    sig_at = auth.rfind("Signature=")
    if (sig_at < 0 or len(auth) == sig_at + 10 or len(amz_date) != 16 or amz_date[8] != "T"
            or amz_date[15] != "Z" or not amz_date[:8].isdigit() or not amz_date[9:15].isdigit()
            or "X-Amz-Algorithm" in query or (form is not None and "X-Amz-Algorithm" in form)):
        return None
    return _cached(auth[:sig_at], amz_date[:8])


@lru_cache(maxsize=1024)
def _cached(unsigned: str, day: str) -> Optional[Credential]:
    found = _from_header(unsigned + "Signature=0", {"x-amz-date": day + "T000000Z"})
    return found if found.__class__ is Credential else None  # problems quote the real header


def _presigned(form: Optional[dict[str, str]], query: str) -> Optional[dict[str, str]]:
    """The presigned-URL parameters, when `X-Amz-Algorithm` is among them."""
    if form is not None and "X-Amz-Algorithm" in form:
        return form
    if "X-Amz-Algorithm" in query:
        params = dict(parse_qsl(query, keep_blank_values=True))
        if "X-Amz-Algorithm" in params:
            return params
    return None


def _from_header(auth: str, headers: dict[str, str]) -> Signature:
    tokens = _SPLIT.split(auth)
    params: dict[str, str] = {}
    for token in tokens[1:]:
        if token:
            key, eq, value = token.strip().partition("=")
            if not eq:
                # A part without "=" (a space after "Credential=", pasted keys) is refused
                # before the missing parameters, as AWS answers it (recorded from STS in
                # boto/boto3#2280 and DynamoDB in awslabs/fhir-works-on-aws-deployment#379).
                return SignatureProblem(True, f"'{token.strip()}' not a valid key=value pair "
                                              f"(missing equal-sign) in Authorization header: "
                                              f"'{auth}'.")
            params[key] = value.split("=", 1)[0]
    amz_date = headers.get("x-amz-date", "")
    missing = "".join(f"Authorization header requires '{name}' parameter. "
                      for name in ("Credential", "Signature", "SignedHeaders")
                      if not params.get(name))
    if not amz_date and not headers.get("date"):
        missing += ("Authorization header requires existence of either a 'X-Amz-Date' or a "
                    "'Date' header. ")
    if missing:
        return SignatureProblem(True, missing + "Authorization=" + auth)
    if amz_date and not _BASIC_DATE.fullmatch(amz_date):
        return _bad_date(amz_date)
    if "host" not in params["SignedHeaders"].lower().split(";"):
        return SignatureProblem(False, "'Host' must be a 'SignedHeader' in the AWS Authorization.")
    return _checked(tokens[0], params["Credential"], amz_date)


def _from_query(params: dict[str, str]) -> Signature:
    missing = "".join(f"AWS query-string parameters must include '{name}'. "
                      for name in _QUERY_PARAMS if not params.get(name))
    if missing:
        return SignatureProblem(True, missing + "Re-examine the query-string parameters.")
    amz_date = params["X-Amz-Date"]
    if not _BASIC_DATE.fullmatch(amz_date):
        return _bad_date(amz_date)
    if "host" not in params["X-Amz-SignedHeaders"].lower().split(";"):
        return SignatureProblem(False, "'Host' must be a 'SignedHeader' in the AWS Authorization.")
    return _checked(params["X-Amz-Algorithm"], params["X-Amz-Credential"], amz_date)


def _bad_date(value: str) -> SignatureProblem:
    return SignatureProblem(True, f"Date must be in ISO-8601 'basic format'. Got '{value}'. "
                                  "See http://en.wikipedia.org/wiki/ISO_8601")


def _checked(algorithm: str, scope: str, amz_date: str) -> Signature:
    if algorithm != _ALGORITHM:
        return SignatureProblem(True, f"Unsupported AWS 'algorithm': '{algorithm}' (only "
                                      f"{_ALGORITHM} for now). ")
    cred = _credential(scope)
    if cred.__class__ is not Credential:
        return cred
    if amz_date and cred.date != amz_date[:8]:
        return SignatureProblem(False, "Date in Credential scope does not match YYYYMMDD from "
                                       f"ISO-8601 version of date from HTTP: '{cred.date}' != "
                                       f"'{amz_date[:8]}', from '{amz_date}'.")
    return cred


@lru_cache(maxsize=1024)  # few distinct scopes (one per key, day, region and service)
def _credential(scope: str) -> "Credential | SignatureProblem":
    parts = scope.rstrip("/").split("/")  # trailing slashes are ignored (dynalite)
    if len(parts) != 5:
        return SignatureProblem(True, "Credential must have exactly 5 slash-delimited elements, "
                                      f"e.g. keyid/date/region/service/term, got '{scope}'")
    if parts[4] != "aws4_request":
        return SignatureProblem(False, "Credential should be scoped with a valid terminator: "
                                       f"'aws4_request', not '{parts[4]}'.")
    return Credential(parts[0], parts[1], parts[2], parts[3])
