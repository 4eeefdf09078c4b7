"""Custom actions of the assistant. rasa_sdk loads every module of this package."""
