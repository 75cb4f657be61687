"""notifiers: match changes against subscriptions and deliver them through Apprise."""
