"""The STS service object and its registry record."""

from __future__ import annotations

from dynoscale.services.iam.api import IamApi
from dynoscale.services.sts import access, sessions
from dynoscale.services.sts.api import StsApi
from dynoscale.services.sts.wire import WIRE
from dynoscale.services.registry import Parts, Service, bind
from dynoscale.services.sts.operations import OPERATIONS


class StsService:
    def __init__(self, store, clock, config, iam_api: IamApi):
        self.store = store
        self.clock = clock
        self.config = config
        self.iam = iam_api  # AssumeRole: the role must exist
        self.service = Service(name=WIRE.name, operations=bind(OPERATIONS, self),
                               access=access.Requests(iam_api))
        self.api = StsPort(store)


class StsPort(StsApi):
    def __init__(self, store):
        self.store = store

    def session(self, access_key):
        return sessions.lookup(self.store, access_key)


def build(parts: Parts) -> StsService:
    return StsService(parts.store, parts.clock, parts.config, parts.ports["iam"])
