"""Use cases of the credit-decision context, one per module."""
