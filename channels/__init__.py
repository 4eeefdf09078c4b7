"""Input channels of our own, named in credentials.yml: Rasa's, with their bugs mended."""
