"""NextToken / MaxResults for the Describe* operations (spec 1.12), on the shared paging.

A token that is not one Dynoscale issued is InvalidNextTokenException (declared error, spec
1.5.4). MaxResults outside 1..limit is a ValidationException (model docs: "This value can be
between 1 and N").
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from dynoscale.services import paging
from dynoscale.services.autoscaling import errors


def page(items: Sequence[Any], max_results: Optional[int], next_token: Optional[str],
         limit: int) -> tuple[list[Any], Optional[str]]:
    if max_results is None:
        max_results = limit
    if not 1 <= max_results <= limit:
        raise errors.max_results_out_of_range(limit)
    return paging.page(items, next_token, max_results, errors.invalid_next_token)
