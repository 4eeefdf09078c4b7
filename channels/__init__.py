"""The ways in: our input channels (Rasa's, with their bugs mended), the guard every
channel passes messages through (guard.py) and what it says (notices.py), and the action
server's checked webhook (action_server.py)."""
