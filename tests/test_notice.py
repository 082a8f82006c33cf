"""Steps longer than a few seconds say what they are doing; short ones stay quiet."""

from __future__ import annotations

import time

from sim.cli.notice import if_slow


def test_a_slow_step_says_what_it_is_doing_and_a_quick_one_says_nothing():
    said: list[str] = []
    with if_slow("compiling", after=0.05, emit=said.append):
        time.sleep(0.3)
    assert said == ["compiling"]
    with if_slow("quick", after=0.5, emit=said.append):
        pass
    time.sleep(0.7)  # past the delay: a cancelled notice never fires
    assert said == ["compiling"]


def test_the_notice_goes_to_stderr_by_default(capsys):
    with if_slow("[x] still running", after=0.05):
        time.sleep(0.3)
    captured = capsys.readouterr()
    assert captured.err == "[x] still running\n" and captured.out == ""
