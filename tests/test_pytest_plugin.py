"""The pytest plugin: theorem files become test items; a failure shows the evidence."""

from __future__ import annotations

from theorem_helpers import PROOFS, symmetry_theorem


def test_theorem_files_are_collected_and_failures_show_the_counterexample(pytester):
    proofs = pytester.mkdir("proofs")
    (proofs / "good.toml").write_text((PROOFS / "gradient-linear-by-hand.toml").read_text())
    (proofs / "wrong.toml").write_text(symmetry_theorem(init='"random"', expect="proved"))
    (proofs / "broken.toml").write_text("statement = \n")
    (pytester.path / "pyproject.toml").write_text("[project]\nname = 'not-a-theorem'\n")
    # a broken theorem file is a collection error, which stops the session unless told otherwise
    assert pytester.runpytest("-p", "no:cacheprovider").ret == 2
    result = pytester.runpytest("-p", "no:cacheprovider", "-v", "--continue-on-collection-errors")
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines([
        "*proofs/good.toml::good PASSED*",
        "*proofs/wrong.toml::wrong FAILED*",
        "*ERROR collecting proofs/broken.toml*",
        "*invalid theorem file:*broken.toml:1: not valid TOML*",
        "*CONTRADICTED wrong*expected proved, got refuted*",
        "*Counterexample (at t = 0, in the initial values)*",
    ])


def test_a_theorem_file_outside_proofs_is_collected_and_other_toml_is_not(pytester):
    (pytester.path / "claim.toml").write_text((PROOFS / "gradient-sigmoid-by-hand.toml").read_text())
    (pytester.path / "config.toml").write_text("[tool]\nx = 1\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*claim.toml::claim PASSED*"])


def test_only_bounded_utf8_toml_is_read_when_deciding_what_to_collect(tmp_path):
    """Outside proofs/ a .toml is read through the theorem reader: size-bounded, UTF-8, one-line errors."""
    from symcheck.pytest_plugin import _is_theorem_file
    from symcheck.theorems.toml_file import MAX_THEOREM_BYTES

    claim = (PROOFS / "gradient-sigmoid-by-hand.toml").read_text()
    small = tmp_path / "claim.toml"
    small.write_text(claim)
    assert _is_theorem_file(small)
    huge = tmp_path / "huge.toml"
    huge.write_text(claim + "# padding\n" * (MAX_THEOREM_BYTES // 10 + 1))
    assert not _is_theorem_file(huge)  # never read in full
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"statement = \"\xff\"\n[claim]\n")
    assert not _is_theorem_file(binary)
    assert not _is_theorem_file(tmp_path / "missing.toml")


BROKEN_OUTSIDE_PROOFS = {
    "TOML syntax error": ('statement = "s"\nexpect = proved\n', "not valid TOML"),
    "misspelled top-level key": (None, "did you mean 'statement'"),
    "misspelled claim table": ("claims", "claims"),
    "unknown claim kind": ('"symetry"', "did you mean 'symmetry'"),
}


def _broken(case: str) -> str:
    text, _ = BROKEN_OUTSIDE_PROOFS[case]
    theorem = symmetry_theorem()
    if case == "misspelled top-level key":
        return theorem.replace("statement", "statment")
    if case == "misspelled claim table":
        return theorem.replace("[claim]", "[claims]")
    if case == "unknown claim kind":
        return theorem.replace('"symmetry"', text)
    return text


def test_a_broken_theorem_file_outside_proofs_is_a_collection_error(pytester):
    """symcheck check rejects these files; the plugin must not skip them silently."""
    for number, case in enumerate(BROKEN_OUTSIDE_PROOFS):
        (pytester.path / f"claim{number}.toml").write_text(_broken(case))
    (pytester.path / "pyproject.toml").write_text("[project]\nname = 'x'\n[tool.x]\nexpect = 1\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=len(BROKEN_OUTSIDE_PROOFS))
    for number, (_, needle) in enumerate(BROKEN_OUTSIDE_PROOFS.values()):
        result.stdout.fnmatch_lines([f"*ERROR collecting claim{number}.toml*"])
        assert needle in result.stdout.str()
    assert "collecting pyproject.toml" not in result.stdout.str()


def test_theorem_directories_are_configurable(pytester):
    claims = pytester.mkdir("claims")
    (claims / "anything.toml").write_text("[tool]\nx = 1\n")  # in a theorem directory: must load
    pytester.makeini("[pytest]\nsymcheck_theorem_dirs = claims\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*invalid theorem file:*anything.toml*"])


def test_what_looks_like_a_theorem_file():
    from symcheck.pytest_plugin import looks_like_theorem

    assert looks_like_theorem('statment = "x"\n')
    assert looks_like_theorem("[claim]\nkind = 1\n")
    assert looks_like_theorem("[claim.expected]\n")
    assert not looks_like_theorem("[project]\nname = 'x'\n")
    assert not looks_like_theorem("[tool.pytest]\nexpect = 1\n")  # a key inside another table


def test_a_checkout_inside_a_directory_named_proofs_is_not_a_theorem_directory(pytester):
    project = pytester.path / "proofs" / "project"
    project.mkdir(parents=True)
    (project / "settings.toml").write_text("[tool]\nx = 1\n")
    (project / "test_ok.py").write_text("def test_ok():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--rootdir", str(project), str(project))
    result.assert_outcomes(passed=1)


def test_theorem_files_run_in_parallel_workers(pytester):
    """pytest-xdist sends each item's report, user properties included, between processes:
    the verdict property must be a plain string (an enum crashed the session)."""
    proofs = pytester.mkdir("proofs")
    (proofs / "good.toml").write_text((PROOFS / "gradient-linear-by-hand.toml").read_text())
    (proofs / "wrong.toml").write_text(symmetry_theorem(init='"random"', expect="proved"))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "--junitxml", "report.xml")
    result.assert_outcomes(passed=1, failed=1)
    report = (pytester.path / "report.xml").read_text()
    assert '<property name="verdict" value="proved" />' in report
    assert '<property name="verdict" value="refuted" />' in report
