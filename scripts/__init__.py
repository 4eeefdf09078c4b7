"""The assistant's command-line scripts, run from the project folder as modules:
`python -m scripts.<name>` (the Makefile's targets), so they import `components`, `actions`
and each other as packages, with no path edits."""
