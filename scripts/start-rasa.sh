#!/usr/bin/env bash
# Starts Rasa with the model trained from the current data, the REST and socket.io
# channels, and the SQL tracker store. The HTTP API is off unless RASA_ENABLE_API=true,
# and then it refuses to start without RASA_AUTH_TOKEN. RASA_ENDPOINTS names another
# endpoints file (`make run-scaled`: deploy/endpoints-scaled.yml, with the Redis lock store).
set -euo pipefail
cd "$(dirname "$0")/.."
# RASA_MODEL pins a model (e.g. to roll back); by default the one for the current data.
model=${RASA_MODEL:-$(.venv/bin/python -m scripts.model path)}
if [ ! -f "$model" ]; then
  echo "error: no model at $model; run 'make train' first (or set RASA_MODEL to an existing one)." >&2
  exit 1
fi
mkdir -p var
credentials=${RASA_CREDENTIALS:-credentials.yml}
# Telegram is on only when TELEGRAM_TOKEN is set. credentials.yml cannot name variables that
# may be unset (Rasa refuses a missing ${VAR}), so the channel is added to an effective copy,
# var/credentials.yml (written whole, then moved, so a second Rasa never reads half a file).
# The channel reads its settings from the TELEGRAM_* variables itself.
if [ -n "${TELEGRAM_TOKEN:-}" ] && ! grep -qE '^(telegram|channels\.telegram\.TelegramChannel):' "$credentials"; then
  effective=$(mktemp var/credentials.yml.XXXXXX)
  {
    cat "$credentials"
    printf '\n# Added by scripts/start-rasa.sh because TELEGRAM_TOKEN is set; settings come from\n'
    printf '# TELEGRAM_TOKEN, TELEGRAM_BOT_NAME, TELEGRAM_WEBHOOK_URL, TELEGRAM_API_URL and\n'
    printf '# TELEGRAM_SECRET_TOKEN.\n'
    printf 'channels.telegram.TelegramChannel:\n'
  } > "$effective"
  mv -f "$effective" var/credentials.yml
  credentials=var/credentials.yml
fi
# Sanic accepts request bodies up to 100 MB by default; a message is cut at
# CHANNEL_MAX_MESSAGE_CHARS anyway. A bigger body gets 413 before it is read.
export SANIC_REQUEST_MAX_SIZE="${RASA_REQUEST_MAX_BYTES:-1048576}"
args=(run --model "$model" --port "${RASA_PORT:-5005}" --interface "${RASA_HOST:-127.0.0.1}"
      --credentials "$credentials" --endpoints "${RASA_ENDPOINTS:-endpoints.yml}")
read -r -a origins <<< "${RASA_CORS_ORIGINS:-}"
[ ${#origins[@]} -gt 0 ] && args+=(--cors "${origins[@]}")
if [ "${RASA_ENABLE_API:-false}" = "true" ]; then
  if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
    echo "error: RASA_ENABLE_API=true needs RASA_AUTH_TOKEN (the API can load models: CVE-2024-49375)." >&2
    exit 1
  fi
  args+=(--enable-api --auth-token "$RASA_AUTH_TOKEN")
fi
# actions/logmask.py masks emails and phone numbers in every log record, then runs `rasa`.
exec .venv/bin/python -m actions.logmask rasa "${args[@]}"
