"""The credit-decision context: applications, features, scorecard, routing, queue, decisions."""
