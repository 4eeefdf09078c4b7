"""What the assistant (Rasa, the action server, the scripts) and the registration
service must agree on, defined once:

- ``avatar_shared.codes``: the confirmation code's alphabet and shape, and how to find
  one in a message;
- ``avatar_shared.masking``: the patterns that mask e-mail addresses and phone numbers in
  logs, and the log-record factory that applies them;
- ``avatar_shared.names``: the letters a person's name may use.

Standard library only: both environments install it (Rasa's pins pydantic 1.10, the
service needs 2.x, so they cannot share more).
"""
