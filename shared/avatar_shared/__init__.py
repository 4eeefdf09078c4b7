"""What the assistant (Rasa, the action server, the scripts) and the registration
service must agree on, defined once:

- ``avatar_shared.events``: the event file (content/events.yml), its shape, defaults and
  checks, and when registration is open;
- ``avatar_shared.codes``: the confirmation code's alphabet and shape, and how to find
  one in a message;
- ``avatar_shared.masking``: the patterns that mask e-mail addresses and phone numbers in
  logs, and the log-record factory that applies them;
- ``avatar_shared.names``: the letters a person's name may use;
- ``avatar_shared.slots``: the conversation slots that hold a person's data.

The standard library and PyYAML only: both environments install it (Rasa's pins pydantic
1.10, the service needs 2.x, so they cannot share more).
"""
