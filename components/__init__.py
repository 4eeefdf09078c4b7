"""Custom parts of the assistant that Rasa loads by module path (config.yml, endpoints.yml)."""
