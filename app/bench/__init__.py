"""The response-time benchmark behind `skeptic bench`: replies, timed turns, start-up, figures."""
