"""Test generation's adapters: rendering test cases as pytest + Hypothesis modules
(`renderer.PytestRenderer`), the quality gate that compiles, collects and runs them
(`pytest_gate.PytestQualityGate`), and delivery of approved tests to a git repository
(`git_delivery.GitDelivery`)."""
