"""CloudWatch's unit preference for unit-less GetMetricData queries is the Java HashMap order of
the model's StandardUnit names (services/cloudwatch/metric_queries.py UNIT_PREFERENCE)."""

import botocore.session

from dynoscale.protocol import coral
from dynoscale.services.cloudwatch.metric_queries import UNIT_PREFERENCE


def test_unit_preference_is_hashmap_order_of_standard_units():
    model = botocore.session.get_session().get_service_model("cloudwatch")
    units = list(model.shape_for("StandardUnit").enum)
    assert list(UNIT_PREFERENCE) == coral.hashmap_order(units)
