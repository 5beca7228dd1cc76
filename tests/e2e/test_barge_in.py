"""Barge-in through the PulseAudio virtual devices, with the speaker's echo in the microphone."""

from __future__ import annotations

import pytest

from app.bench.barge_in import measure_barge_in, virtual_devices_present

pytestmark = [pytest.mark.slow, pytest.mark.audio]


@pytest.fixture
def devices(virtual_audio: None) -> None:
    assert virtual_devices_present(), "the virtual microphone and speaker sinks are missing"


def test_the_customers_own_echo_does_not_stop_the_customer(devices: None) -> None:
    # A known miss (docs/performance.md): about one line in twelve still sets it off when the
    # echo's delay drifts. Three lines with at most one false alarm keep the test steady while
    # still failing when echo rejection stops working, which alarms on nearly every line.
    false_alarms = sum(
        measure_barge_in(echo_db=-10.0, trainee_after=None).false_alarm for _ in range(3)
    )

    assert false_alarms <= 1


def test_the_trainee_talking_over_the_customer_stops_them_quickly(devices: None) -> None:
    figures = measure_barge_in(echo_db=-10.0, trainee_after=1.5)

    assert figures.detected
    assert figures.stop_ms is not None
    # The target is 200 ms (docs/performance.md has the measured figure); the test allows a
    # loaded 2-core machine twice that, and fails when barge-in is as slow as waiting for
    # the customer to finish.
    assert 0 < figures.stop_ms < 400, figures
