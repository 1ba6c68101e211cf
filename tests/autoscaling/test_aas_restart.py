"""Durability: targets, policies, activities and pending activity polls survive a restart
(docs/architecture.md, Rules: the scheduler keeps nothing; `start()` re-arms from the store)."""

from __future__ import annotations

from aas_kit import Kit, WRITE_DIM


def test_pending_activity_completes_after_restart(make_server, unique):
    server = make_server("--clock", "manual")
    kit = Kit(server)
    name = kit.table(unique("R"), write=5)
    kit.register(name, low=8, high=12)  # clamp -> InProgress activity with a pending poll
    policy = kit.policy(name)
    assert kit.activities(name)[0]["StatusCode"] == "InProgress"
    server.restart()
    kit = Kit(server)
    server.advance(30)
    [activity] = kit.activities(name)
    assert activity["StatusCode"] == "Successful"
    assert kit.write_units(name) == 8
    [target] = kit.aas.describe_scalable_targets(ServiceNamespace="dynamodb",
                                                 ResourceIds=[f"table/{name}"])["ScalableTargets"]
    assert (target["MinCapacity"], target["MaxCapacity"]) == (8, 12)
    [stored] = kit.aas.describe_scaling_policies(ServiceNamespace="dynamodb",
                                                 ResourceId=f"table/{name}")["ScalingPolicies"]
    assert stored["PolicyARN"] == policy["PolicyARN"]
    # The capacity listener is registered again: thresholds follow the clamp to 8.
    high = policy["Alarms"][0]["AlarmName"]
    assert kit.alarms([high])[high]["Threshold"] == 240.0
    assert target["ScalableDimension"] == WRITE_DIM
