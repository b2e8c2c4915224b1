"""The notifier: recipients, subscriptions, and notifications by e-mail, webhook and inbox."""
