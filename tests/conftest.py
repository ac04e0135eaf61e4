"""Shared test configuration.

Hypothesis profiles: ``dev`` (the default: few examples, quick) and ``ci``
(thorough; `.ci/run` selects it with HYPOTHESIS_PROFILE=ci). Symbolic examples
take tens of milliseconds each, so Hypothesis's deadline is off."""

import os

import pytest
from hypothesis import HealthCheck, settings

from needs import PREFIX, REQUIRE_VARIABLE

settings.register_profile(
    "dev", max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# pytester runs pytest in a temporary directory to test the theorem-file plugin for real
pytest_plugins = ["pytester"]


def pytest_addoption(parser):
    parser.addoption("--regenerate-golden", action="store_true", default=False,
                     help="rewrite tests/golden/*.tex from the current output (review the diff!)")


def pytest_configure(config):
    # golden LaTeX files are regenerated only on explicit request, never silently
    config.regenerate_golden = (config.getoption("--regenerate-golden")
                                or os.environ.get("SYMCHECK_REGENERATE_GOLDEN") == "1")


# ---------------------------------------------------------------- optional tools
# A test that needs a missing tool skips with a reason starting "needs " (tests/needs.py).
# With SYMCHECK_REQUIRE_TOOLS=1 (.ci/run) such a skip is a failure: CI must run them all.

def _require_tools() -> bool:
    return os.environ.get(REQUIRE_VARIABLE) == "1"


def _needs_reason(report) -> str | None:
    """The 'needs ...' reason of a skipped report, else None."""
    if not report.skipped or hasattr(report, "wasxfail"):
        return None
    longrepr = report.longrepr
    message = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    message = message.removeprefix("Skipped: ")
    return message if message.startswith(PREFIX) else None


def _fail_needed_skip(report) -> None:
    reason = _needs_reason(report) if _require_tools() else None
    if reason is not None:
        report.outcome = "failed"
        report.longrepr = f"{reason}: a required tool is missing and {REQUIRE_VARIABLE}=1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_needed_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_needed_skip(outcome.get_result())
