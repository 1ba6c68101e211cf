"""`--auth verify` / `enforce`: check a request's SigV4 signature and say who signed it.

The signature is recomputed with botocore's signer (`botocore.auth.SigV4Auth`) over an
`AWSRequest` rebuilt from what was received (method, path, query, the signed headers only, the
body's hash) and compared in constant time; no SigV4 cryptography is written here. Which key
means whom comes from `lookup` (the composition root wires the account's root key, IAM access
keys and STS sessions to it); each service's declaration says which error codes it answers with
(`protocol.declaration.AuthErrors`).

The checks, in AWS's order as recorded against DynamoDB by scylladb's Alternator tests
(test/alternator/test_authorization.py: an expired or future date is reported before an unknown
key) and the SigV4 documentation ("Authenticating Requests (AWS Signature Version 4)",
"Troubleshoot Signature Version 4 errors"):
1. the Authorization header (or presigned query) has every part: IncompleteSignature;
2. the request date is within 15 minutes of the server's wall clock: "Signature expired" /
   "Signature not yet current". Presigned requests (`X-Amz-Expires`) get the same 15-minute
   window: services other than S3 do not honour a longer X-Amz-Expires (aws/aws-sdk-go#2167,
   STS presigned GetCallerIdentity); a shorter one is not honoured either [inferred, same];
3. the access key is known and Active, its session token matches (temporary credentials) and is
   not expired on the simulated clock: "The security token included in the request is invalid." /
   "... is expired";
4. the credential scope's date is the request's date, a signed `x-amz-content-sha256` is the
   body's hash (or UNSIGNED-PAYLOAD, which the client then signed: accepted [inferred from the
   SigV4 documentation's "unsigned payload" option]) and the signature matches.

Steps 1-2 and the string to sign make a `Claim` (no keys needed); steps 3-4 settle it. One
process does both while preparing the call; with `--workers N` a front makes the claim and the
owner, which holds the keys, settles it before running the call (server/workers.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Callable, Optional
from urllib.parse import parse_qsl

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

from dynoscale.context import Principal
from dynoscale.errors import AwsError
from dynoscale.protocol.declaration import ServiceDeclaration
from dynoscale.protocol.wire import WireRequest

ALGORITHM = "AWS4-HMAC-SHA256"
SKEW = 15 * 60  # seconds either side of the server's clock
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
_AMZ_DATE = "%Y%m%dT%H%M%SZ"

# AWS's texts (quoted in aws-cli#6676, aws-sdk-js#265, scylladb Alternator's tests, and the
# SigV4 troubleshooting page).
INVALID_TOKEN = "The security token included in the request is invalid."
EXPIRED_TOKEN = "The security token included in the request is expired"
MISMATCH = ("The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.")


@dataclass(frozen=True)
class KeyRecord:
    """What the server knows of one access key. `expires` (simulated epoch seconds) and
    `session_token` are set for temporary credentials. `refused_services`: signing names the key
    may not call, answered as an unknown key (GetSessionToken's credentials and IAM: "The
    security token included in the request is invalid", aws/aws-vault#1056)."""
    secret: str
    principal: Principal
    active: bool = True
    session_token: Optional[str] = None
    expires: Optional[float] = None
    refused_services: frozenset = frozenset()


@dataclass(frozen=True)
class _Signed:
    """The signature parts of one request, from its Authorization header or its query."""
    access_key: str
    scope_date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str
    amz_date: str
    token: Optional[str]
    presigned: bool


@dataclass(frozen=True)
class Claim:
    """What a well-formed, current request claims, awaiting its key: everything the signature
    check needs but the secret (so a `--workers` front can build it and the owner, which holds
    the keys, settle it). `string_to_sign` is None when no secret could make the signature match
    (a signed header missing, a body that is not the one signed)."""
    access_key: str
    token: Optional[str]
    scope_date: str
    amz_date: str
    region: str
    service: str
    string_to_sign: Optional[str]
    signature: str


class Authenticator:
    """lookup: access key id -> KeyRecord (None: unknown; None as a whole in a `--workers` front,
    which only makes claims); now: simulated time (session expiry); wall_now: real time (request
    dates, which clients take from their own clocks); used(access key, signing name, region):
    told of every accepted signature (an access key's last use)."""

    def __init__(self, lookup: Optional[Callable[[str], Optional[KeyRecord]]],
                 now: Optional[Callable[[], float]], wall_now: Callable[[], float],
                 used: Optional[Callable[[str, str, str], None]] = None):
        self.lookup = lookup
        self.now = now
        self.wall_now = wall_now
        self.used = used

    def __call__(self, service: ServiceDeclaration, req: WireRequest) -> Principal:
        """The request's signer, or raises the service's AwsError."""
        return self.settle(service, self.claim(service, req))

    def claim(self, service: ServiceDeclaration, req: WireRequest) -> Claim:
        """Steps 1 and 2 (form and date) and the string to sign."""
        codes = service.auth_errors
        signed = _signature_parts(req, codes, service)
        _check_date(signed.amz_date, self.wall_now(), codes, service)
        return Claim(signed.access_key, signed.token, signed.scope_date, signed.amz_date,
                     signed.region, signed.service, _string_to_sign(req, signed),
                     signed.signature)

    def check_date(self, service: ServiceDeclaration, req: WireRequest) -> None:
        """A malformed signature whose request date is out of the 15-minute window is refused for
        the date first (Alternator's test_expired_signature, run against AWS: a bad scope with an
        old date answers "Signature expired")."""
        amz_date = req.headers.get("x-amz-date", "")
        if len(amz_date) == 16 and amz_date.endswith("Z"):  # a malformed date is the form's
            _check_date(amz_date, self.wall_now(), service.auth_errors, service)

    def settle(self, service: ServiceDeclaration, claim: Claim) -> Principal:
        """Steps 3 and 4: the key, its session token, and the signature."""
        codes = service.auth_errors
        record = self.lookup(claim.access_key)
        if record is None or not record.active or \
                (record.session_token or None) != (claim.token or None):
            raise _error(codes.unknown_key, INVALID_TOKEN, codes, service)
        if record.expires is not None and self.now() >= record.expires:
            raise _error(codes.expired_token, EXPIRED_TOKEN, codes, service)
        if claim.service in record.refused_services:
            raise _error(codes.unknown_key, INVALID_TOKEN, codes, service)
        if claim.scope_date != claim.amz_date[:8]:
            raise _error(codes.bad_signature, "Date in Credential scope does not match YYYYMMDD "
                         f"from ISO-8601 version of date from HTTP: '{claim.scope_date}' != "
                         f"'{claim.amz_date[:8]}', from '{claim.amz_date}'.", codes, service)
        expected = _signature(claim, record.secret).encode()
        if not hmac.compare_digest(expected, claim.signature.encode("utf-8", "surrogatepass")):
            raise _error(codes.bad_signature, MISMATCH, codes, service)
        if self.used is not None:
            self.used(claim.access_key, claim.service, claim.region)
        return record.principal


def _error(code: str, message: str, codes, service: ServiceDeclaration) -> AwsError:
    return AwsError(code, message, codes.status, namespace=service.auth_namespace)


# -- 1. the parts -------------------------------------------------------------------------------
def _signature_parts(req: WireRequest, codes, service: ServiceDeclaration) -> _Signed:
    auth = req.headers.get("authorization")
    if auth is not None:
        return _from_header(auth, req, codes, service)
    query = dict(parse_qsl(req.query, keep_blank_values=True)) if req.query else {}
    if "X-Amz-Credential" in query or "X-Amz-Signature" in query:
        return _from_query(query, codes, service)
    # Only a form body named a credential (sigv4.parse looks there too): a signature must be in
    # the Authorization header or the URL's query [inferred from the SigV4 documentation, which
    # describes only those two].
    raise _error(codes.incomplete, _missing_parts(["Credential", "Signature", "SignedHeaders"],
                                                  ""), codes, service)


def _missing_parts(missing: list[str], auth: str) -> str:
    # "Authorization header requires 'Signature' parameter. Authorization header requires
    # existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 ..."
    # (AWS CLI output quoted in aws-sdk and API Gateway issue threads).
    text = "".join(f"Authorization header requires '{m}' parameter. " for m in missing
                   if m != "date")
    if "date" in missing:
        text += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
    return text + f"Authorization={auth}"


def _from_header(auth: str, req: WireRequest, codes, service: ServiceDeclaration) -> _Signed:
    algorithm, _, rest = auth.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise _error(codes.incomplete, f"Unsupported AWS 'algorithm': '{algorithm}'", codes, service)
    parts: dict[str, str] = {}
    # Parts are separated by commas, spaces or both (Alternator's test_authorization_no_whitespace).
    for piece in rest.replace(",", " ").split():
        key, eq, value = piece.partition("=")
        if eq:
            parts[key] = value
    amz_date = req.headers.get("x-amz-date") or _from_http_date(req.headers.get("date"))
    missing = [m for m in ("Credential", "Signature", "SignedHeaders") if not parts.get(m)]
    if not amz_date:
        missing.append("date")
    if missing:
        raise _error(codes.incomplete, _missing_parts(missing, auth), codes, service)
    return _assemble(parts["Credential"], parts["SignedHeaders"], parts["Signature"], amz_date,
                     req.headers.get("x-amz-security-token"), False, codes, service)


def _from_query(query: dict[str, str], codes, service: ServiceDeclaration) -> _Signed:
    # "AWS query-string parameters must include 'X-Amz-Algorithm'. ..." (the presigned form of
    # the same IncompleteSignature check [inferred wording: the header form's, per parameter]).
    names = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders",
             "X-Amz-Date")
    missing = [n for n in names if not query.get(n)]
    if missing:
        raise _error(codes.incomplete, "".join(f"AWS query-string parameters must include '{n}'. "
                                               for n in missing)
                     + "Re-examine the query-string parameters.", codes, service)
    if query["X-Amz-Algorithm"] != ALGORITHM:
        raise _error(codes.incomplete, f"Unsupported AWS 'algorithm': "
                     f"'{query['X-Amz-Algorithm']}'", codes, service)
    return _assemble(query["X-Amz-Credential"], query["X-Amz-SignedHeaders"],
                     query["X-Amz-Signature"], query["X-Amz-Date"],
                     query.get("X-Amz-Security-Token"), True, codes, service)


def _assemble(credential: str, signed_headers: str, signature: str, amz_date: str,
              token: Optional[str], presigned: bool, codes, service) -> _Signed:
    scope = credential.split("/")
    if len(scope) != 5 or scope[4] != "aws4_request":
        raise _error(codes.incomplete, "Credential must have exactly 5 slash-delimited elements, "
                     f"e.g. keyid/date/region/service/term, got '{credential}'", codes, service)
    headers = tuple(h for h in signed_headers.lower().split(";") if h)
    return _Signed(scope[0], scope[1], scope[2], scope[3], headers, signature, amz_date, token,
                   presigned)


def _from_http_date(value: Optional[str]) -> Optional[str]:
    """An RFC 1123 `Date` header in SigV4's basic ISO 8601 form (SigV4 accepts either)."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime(_AMZ_DATE)


# -- 2. the date --------------------------------------------------------------------------------
def _check_date(amz_date: str, wall: float, codes, service: ServiceDeclaration) -> None:
    try:
        when = dt.datetime.strptime(amz_date, _AMZ_DATE).replace(tzinfo=dt.timezone.utc)
    except ValueError:
        # "Date must be in ISO-8601 'basic format'. Got '...'. See
        # http://en.wikipedia.org/wiki/ISO_8601" (AWS's answer to a malformed X-Amz-Date)
        raise _error(codes.incomplete, f"Date must be in ISO-8601 'basic format'. Got "
                     f"'{amz_date}'. See http://en.wikipedia.org/wiki/ISO_8601", codes, service)
    stamp = when.timestamp()

    def fmt(t: float) -> str:
        return dt.datetime.fromtimestamp(int(t), dt.timezone.utc).strftime(_AMZ_DATE)

    if stamp < wall - SKEW:
        raise _error(codes.bad_signature, f"Signature expired: {amz_date} is now earlier than "
                     f"{fmt(wall - SKEW)} ({fmt(wall)} - 15 min.)", codes, service)
    if stamp > wall + SKEW:
        raise _error(codes.bad_signature, f"Signature not yet current: {amz_date} is still later "
                     f"than {fmt(wall + SKEW)} ({fmt(wall)} + 15 min.)", codes, service)


# -- 4. the signature ---------------------------------------------------------------------------
class _Recompute(SigV4Auth):
    """botocore's SigV4 signer, told exactly which headers the client signed (botocore's own
    choice would drop some, e.g. user-agent, and add host) and the body's hash."""

    def __init__(self, credentials, service, region, signed: tuple[str, ...], body_hash: str):
        super().__init__(credentials, service, region)
        self._signed = signed
        self._body_hash = body_hash

    def headers_to_sign(self, request):
        chosen = HTTPHeaders()
        for name in self._signed:
            chosen[name] = request.headers.get(name, "")
        return chosen

    def payload(self, request):
        return self._body_hash


def _string_to_sign(req: WireRequest, signed: _Signed) -> Optional[str]:
    headers = req.headers
    if any(name not in headers for name in signed.signed_headers):
        return None  # a signed header that did not arrive: nothing can match
    # SDKs sign the body they send, compressed or not (botocore compresses, then signs).
    body_hash = hashlib.sha256(req.raw_body if req.raw_body is not None else req.body).hexdigest()
    declared = headers.get("x-amz-content-sha256") if "x-amz-content-sha256" in \
        signed.signed_headers else None
    if declared is not None and declared != UNSIGNED_PAYLOAD and declared != body_hash:
        return None  # the body is not the one that was signed
    params = [(k, v) for k, v in parse_qsl(req.query, keep_blank_values=True)
              if k != "X-Amz-Signature"] if req.query else []
    request = AWSRequest(method=req.method, url=f"http://localhost{req.path}",
                         headers={name: headers[name] for name in signed.signed_headers},
                         params=params)
    request.context["timestamp"] = signed.amz_date
    signer = _Recompute(None, signed.service, signed.region, signed.signed_headers, body_hash)
    try:
        return signer.string_to_sign(request, signer.canonical_request(request))
    except (ValueError, UnicodeError):  # a path or header botocore cannot canonicalise
        return None


def _signature(claim: Claim, secret: str) -> str:
    if claim.string_to_sign is None:
        return ""
    signer = SigV4Auth(Credentials(claim.access_key, secret), claim.service, claim.region)
    request = AWSRequest()
    request.context["timestamp"] = claim.amz_date
    return signer.signature(claim.string_to_sign, request)
