"""The three data files, loaded and checked together: the bodies, the assignment rules, the policy.

Loaded once at an entry point (a command, the scheduler, a flow run's process) and passed down to
every sweep, task and job, rather than read again by each.
"""

from dataclasses import dataclass

from config.bodies import Registry, load_registry
from config.errors import ConfigError
from config.policy import Policy, load_policy
from config.rules import Rule, load_rules
from config.settings import Settings


@dataclass(frozen=True)
class Configuration:
    """The data files, loaded and checked together."""

    registry: Registry
    rules: list[Rule]
    policy: Policy


def load_configuration(settings: Settings) -> Configuration:
    """Load the three files and check them against each other (a ladder naming an unknown body)."""
    registry = load_registry(settings.bodies_file)
    policy = load_policy(settings.policy_file)
    if policy.escalation_top not in registry.bodies:
        raise ConfigError(
            f"policy file {settings.policy_file}: escalation.top names unknown body {policy.escalation_top!r}"
        )
    return Configuration(registry, load_rules(settings.rules_file, registry), policy)
