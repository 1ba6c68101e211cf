"""The STS service object and its registry record."""

from __future__ import annotations

from dynoscale.services.registry import Service, bind
from dynoscale.services.sts.operations import OPERATIONS


class StsService:
    def __init__(self, store, clock, config):
        self.store = store
        self.clock = clock
        self.config = config
        self.service = Service(name="sts", operations=bind(OPERATIONS, self))
