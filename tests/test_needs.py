"""The optional-tool mechanism: a missing tool skips with "needs ...", and
SYMCHECK_REQUIRE_TOOLS=1 turns exactly those skips into failures."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent

TESTS = '''
import pytest
from needs import needs

needs("pytest")  # present wherever this suite runs: a module-level call that passes

def test_missing_program():
    needs("symcheck-no-such-program")

def test_missing_module():
    needs("symcheck_no_such_module")

@pytest.fixture
def tool():
    needs("symcheck-no-such-program")

def test_missing_in_a_fixture(tool):
    pass

def test_other_skip():
    pytest.skip("not about a tool")

def test_present():
    needs("pytest")
'''

MODULE_LEVEL = '''
from needs import needs
needs("symcheck-no-such-program")

def test_never_runs():
    pass
'''


@pytest.fixture
def suite(pytester, monkeypatch):
    for name in ("conftest.py", "needs.py"):
        pytester.makefile(".py", **{name[:-3]: (HERE / name).read_text()})
    pytester.makepyfile(test_tools=TESTS, test_module_level=MODULE_LEVEL)
    monkeypatch.delenv("SYMCHECK_REQUIRE_TOOLS", raising=False)
    return pytester


def test_missing_tools_skip_with_a_reason(suite):
    result = suite.runpytest_subprocess("-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, skipped=5)
    result.stdout.fnmatch_lines(["*needs symcheck-no-such-program (install symcheck-no-such-program)*",
                                 "*needs symcheck_no_such_module*"])


def test_required_tools_turn_needs_skips_into_failures(suite, monkeypatch):
    monkeypatch.setenv("SYMCHECK_REQUIRE_TOOLS", "1")
    result = suite.runpytest_subprocess("-rs", "-p", "no:cacheprovider", "--continue-on-collection-errors")
    # two tests fail, the fixture and the module-level skip are errors; the unrelated skip stays a skip
    result.assert_outcomes(passed=1, failed=2, skipped=1, errors=2)
    result.stdout.fnmatch_lines(["*needs symcheck-no-such-program*SYMCHECK_REQUIRE_TOOLS=1*"])
