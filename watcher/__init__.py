"""watcher: schedules polls, fetches pages politely and ties parsers, store and notifiers together."""
