"""The configuration files a coordinator edits: each mistake is refused with one line that names
the file and the key, and nothing a file holds can hang, exhaust or crash the process."""

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from config import CONFIG_DIR
from config.bodies import KINDS, load_registry
from config.errors import ConfigError
from config.policy import Policy, load_policy
from config.rules import load_rules
from config.settings import load_settings

BODIES = """\
coordinator: VPTU
bodies:
  - code: BTV
    name_vi: Ban Thường vụ
    name_en: Standing Committee
    kind: standing_committee
    emails: [btv@example.org]
  - code: VPTU
    name_vi: Văn phòng
    name_en: Office
    kind: coordinator
    emails: [vp@example.org]
    escalates_to: BTV
  - code: UBND
    name_vi: Ủy ban nhân dân
    name_en: People's Committee
    kind: government
    emails: [ubnd@example.org]
    escalates_to: BTV
    aliases: [UBND tỉnh]
"""
RULES = """\
rules:
  - id: council
    when: {kind: task, text: [Hội đồng nhân dân]}
    lead: VPTU
    cooperating: [BTV]
  - id: default
    lead: UBND
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refused(load: Callable[[], Any], path: Path | str) -> str:
    """The one line a user sees: exit code 3, the file named, no second line."""
    with pytest.raises(ConfigError) as caught:
        load()
    message = str(caught.value)
    assert caught.value.exit_code == 3 and str(path) in message and "\n" not in message, message
    return message


def _bodies(tmp_path: Path, old: str, new: str) -> str:
    assert old in BODIES
    path = _write(tmp_path, "bodies.yaml", BODIES.replace(old, new))
    return _refused(lambda: load_registry(path), path)


def _rules(tmp_path: Path, text: str) -> str:
    registry = load_registry(_write(tmp_path, "bodies.yaml", BODIES))
    path = _write(tmp_path, "rules.yaml", text)
    return _refused(lambda: load_rules(path, registry), path)


def _policy(tmp_path: Path, text: str) -> str:
    path = _write(tmp_path, "policy.yaml", text)
    return _refused(lambda: load_policy(path), path)


def test_the_shipped_files_load_and_the_policy_file_says_the_defaults() -> None:
    registry = load_registry(CONFIG_DIR / "bodies.yaml")
    rules = load_rules(CONFIG_DIR / "rules.yaml", registry)
    assert registry.coordinator in registry.bodies and rules[-1].is_default
    assert registry.resolve("uỷ ban nhân dân tỉnh").code == "UBND" and registry.bodies["UBND"].kind in KINDS
    assert load_policy(CONFIG_DIR / "policy.yaml") == Policy()


def test_a_small_registry_and_its_rules_load_as_written(tmp_path: Path) -> None:
    registry = load_registry(_write(tmp_path, "bodies.yaml", BODIES))
    ubnd = registry.resolve("ubnd tỉnh")
    assert (ubnd.code, ubnd.emails, ubnd.aliases, ubnd.name("en")) == ("UBND", ("ubnd@example.org",), ("UBND tỉnh",), "People's Committee")
    rules = load_rules(_write(tmp_path, "rules.yaml", RULES), registry)
    assert rules[0].text == ("hội đồng nhân dân",) and rules[0].cooperating == ("BTV",)
    assert rules[0].matches(kind="task", part="tasks", section="C.1", titles="", text="hđnd và hội đồng nhân dân tỉnh")


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("aliases: [UBND tỉnh]", "aliases: 5", "bodies[3].aliases: must be a list of names, not 5"),
        ("emails: [ubnd@example.org]", "emails: [ubnd at example]", "bodies[3].emails[1]: must be an email address, not 'ubnd at example'"),
        ("emails: [ubnd@example.org]", "emails: ['a@b.org, evil@x.org']", "bodies[3].emails[1]: must be an email address"),
        ("    escalates_to: BTV\n    aliases", "    escalaes_to: BTV\n    aliases", "bodies[3].escalaes_to: unknown key"),
        ("kind: government", "kind: govt", "bodies[3].kind: must be 'standing_committee'"),
        ("code: UBND", "code: [UBND]", "bodies[3].code: must be a body code"),
        ("    name_en: Office\n", "", "bodies[2].name_en: missing"),
        ("code: UBND", "code: VPTU", "bodies[3].code: VPTU is listed twice"),
        ("    escalates_to: BTV\n    aliases", "    escalates_to: NOBODY\n    aliases", "bodies[3].escalates_to: unknown body 'NOBODY'"),
        ("    emails: [btv@example.org]\n", "    emails: [btv@example.org]\n    escalates_to: VPTU\n", "bodies[1].escalates_to: the escalation loops: BTV -> VPTU -> BTV"),
        ("coordinator: VPTU", "coordinator: VPTUX", "coordinator: 'VPTUX' is not a listed body"),
        ("coordinator: VPTU", "coordinatr: VPTU", "coordinatr: unknown key"),
    ],
)
def test_a_wrong_body_is_named_by_its_key(tmp_path: Path, old: str, new: str, says: str) -> None:
    assert f"bodies file {tmp_path / 'bodies.yaml'}: {says}" in _bodies(tmp_path, old, new)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("rules:\n  - id: d\n    lead: [UBND]\n", "rules[1].lead: must be a body code"),
        ("rules:\n  - id: d\n    lead: UBND\n    cooperating: 5\n", "rules[1].cooperating: must be a list of body codes, not 5"),
        ("rules:\n  - id: x\n    when: {kinds: task}\n    lead: BTV\n  - id: d\n    lead: UBND\n", "rules[1].when.kinds: unknown key"),
        ("rules:\n  - id: x\n    when: {kind: tsk}\n    lead: BTV\n  - id: d\n    lead: UBND\n", "rules[1].when.kind[1]: must be 'target', 'task' or 'directive', not 'tsk'"),
        ("rules:\n  - id: x\n    when: {kind: task}\n    lead: UBNDD\n  - id: d\n    lead: UBND\n", "rules[1].lead: rule 'x' names unknown body 'UBNDD'"),
        ("rules:\n  - id: x\n    when: {kind: task}\n  - id: d\n    lead: UBND\n", "rules[1]: rule 'x' names no lead and no cooperating body"),
        ("rules:\n  - id: d\n    lead: UBND\n  - id: d\n    lead: BTV\n", "rules[2].id: rule id 'd' is used twice"),
        ("rules:\n  - id: d\n    lead: UBND\n  - id: x\n    when: {kind: task}\n    lead: BTV\n", "rules[2]: the last rule must be a default"),
        ("rules: []\n", "rules: must not be empty"),
        ("rule:\n  - id: d\n    lead: UBND\n", "rule: unknown key"),
    ],
)
def test_a_wrong_rule_is_named_by_its_key(tmp_path: Path, text: str, says: str) -> None:
    assert f"rules file {tmp_path / 'rules.yaml'}: {says}" in _rules(tmp_path, text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("escalation:\n  escalaton: 3\n", "escalation.escalaton: unknown key"),
        ("reminders:\n  working_days: 'false'\n", "reminders.working_days: must be true or false, not 'false'"),
        ("deadlines:\n  urgent_days: '90'\n", "deadlines.urgent_days: must be a whole number, not '90'"),
        ("deadlines:\n  urgent_days: true\n", "deadlines.urgent_days: must be a whole number, not True"),
        ("reminders:\n  offsets: [30, 400]\n", "reminders.offsets[2]: must be less than or equal to 365, not 400"),
        ("reminders:\n  offsets: []\n", "reminders.offsets: must not be empty"),
        ("reporting:\n  cadence: weekly\n", "reporting.cadence: must be 'monthly', 'quarterly', 'half_yearly' or 'yearly', not 'weekly'"),
        ("programme:\n  start: '2021-01-01'\n", "programme.start: must be a date such as 2021-01-01"),
        ("escalation:\n  top: [BTV]\n", "escalation.top: must be a body code"),
        ("schedule:\n  jobs:\n    remind: '61 7 * * *'\n", "schedule.jobs.remind: '61 7 * * *' is not a cron expression"),
        ("schedule:\n  jobs:\n    remind: '0 7 31 2 *'\n", "schedule.jobs.remind: '0 7 31 2 *' never fires"),
        ("schedule:\n  jobs:\n    remnd: '0 7 * * *'\n", "schedule.jobs.remnd: unknown key"),
        ("outbox: 5\n", "outbox: must be a mapping"),
    ],
)
def test_a_wrong_policy_is_named_by_its_key(tmp_path: Path, text: str, says: str) -> None:
    assert f"policy file {tmp_path / 'policy.yaml'}: {says}" in _policy(tmp_path, text)


def test_a_policy_takes_defaults_for_what_it_leaves_out(tmp_path: Path) -> None:
    assert load_policy(_write(tmp_path, "policy.yaml", "# nothing yet\n")) == Policy()
    policy = load_policy(_write(tmp_path, "policy.yaml", "digest:\nreminders:\n  offsets: [1, 7, 7]\n  working_days: false\n"))
    assert (policy.reminder_offsets, policy.working_days, policy.digest_ahead_days) == ((7, 1), False, 30)
    leap = load_policy(_write(tmp_path, "policy.yaml", "schedule:\n  jobs:\n    digest: '0 8 29 2 *'\n"))
    assert leap.schedule["digest"] == "0 8 29 2 *" and leap.schedule["chase"] == Policy().schedule["chase"]


def _within(seconds: float, load: Callable[[], Any]) -> BaseException | None:
    """Run ``load`` in a thread and return what it raised; fail if it is still running after
    ``seconds`` (a FIFO with no writer would block for ever)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            load()
            outcome.append(None)
        except BaseException as exc:  # handed to the test to judge
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still running after {seconds} s"
    return outcome[0]


@pytest.mark.parametrize("kind", ["fifo", "device", "directory"])
def test_a_configuration_path_that_is_not_a_regular_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    path = {"fifo": tmp_path / "policy.yaml", "device": Path("/dev/zero"), "directory": tmp_path}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    error = _within(5, lambda: load_policy(path))
    assert isinstance(error, ConfigError) and str(error) == f"policy file {path}: not a regular file"


def test_yaml_aliases_are_refused_before_they_expand(tmp_path: Path) -> None:
    rows = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    rows += [f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}, *{chr(97 + n)}]" for n in range(8)]
    path = _write(tmp_path, "bodies.yaml", "\n".join(rows) + "\n")
    started = time.monotonic()
    message = _refused(lambda: load_registry(path), path)
    assert "anchors and aliases" in message and "line 1" in message and time.monotonic() - started < 2


def test_deep_yaml_is_refused_with_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "rules.yaml", "rules: " + "[" * 50_000 + "]" * 50_000 + "\n")
    registry = load_registry(_write(tmp_path, "bodies.yaml", BODIES))
    assert "nested deeper than 64 levels" in _refused(lambda: load_rules(path, registry), path)


def test_a_date_that_does_not_exist_is_refused_with_its_line(tmp_path: Path) -> None:
    assert "'2021-02-30' is not a date" in _policy(tmp_path, "programme:\n  start: 2021-02-30\n")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("DONDOC_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DONDOC_HOME", str(tmp_path))
    return monkeypatch


def test_a_named_settings_file_that_is_missing_is_refused(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "dondoc-typo.toml"
    clean_env.setenv("DONDOC_SETTINGS_FILE", str(missing))
    assert "no such file" in _refused(load_settings, missing)
    fifo = tmp_path / "dondoc.toml"
    os.mkfifo(fifo)
    clean_env.delenv("DONDOC_SETTINGS_FILE")
    error = _within(5, load_settings)
    assert isinstance(error, ConfigError) and str(error) == f"settings file {fifo}: not a regular file"


def test_an_unsupported_language_is_named_with_the_choices(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("DONDOC_LANGUAGE", "fr")
    message = _refused(load_settings, "DONDOC_LANGUAGE")
    assert "'fr'" in message and "'vi' or 'en'" in message


def test_the_actor_is_a_setting(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("DONDOC_ACTOR", "chuyên viên A")
    assert load_settings().actor == "chuyên viên A"
