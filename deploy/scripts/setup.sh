#!/usr/bin/env bash
# What tests/test_deploy_manifests.py needs (make test runs this first):
# - deploy/.venv with kubernetes-validate, pinned in deploy/requirements.txt;
# - a kubectl whose `kubectl kustomize` renders deploy/k8s: the one on PATH, else Debian's
#   `kubernetes-client` (kubectl 1.20 with kustomize 2.0.3, which the manifests are written
#   for; installing it needs root).
set -euo pipefail
project=$(cd "$(dirname "$0")/../.." && pwd)
"$project/scripts/tool-venv.sh" deploy
if kubectl kustomize --help >/dev/null 2>&1; then
  exit 0
fi
echo "kubectl (with 'kubectl kustomize') not found: installing Debian's kubernetes-client"
"$project/scripts/apt-install.sh" kubernetes-client
kubectl kustomize --help >/dev/null 2>&1 || { echo "error: kubectl installed but 'kubectl kustomize' does not run" >&2; exit 1; }
