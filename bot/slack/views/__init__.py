"""Slack modals (views.open): Block Kit for input, beside bot/render/ for messages."""
