#!/usr/bin/env bash
# Static checks of the deployment files, no cluster or Docker engine needed:
#   - deploy/k8s renders with Kustomize (kubectl kustomize) and every object validates against the
#     Kubernetes OpenAPI schemas (npm package kubernetes-models; types, required fields, enums,
#     formats; like the API server's schemas they let unknown fields through);
#   - .github/workflows/*.yml validate against the workflow schema (npm @action-validator/cli);
#   - docker-compose.yml passes `docker compose config` (or Debian's docker-compose v1 where the
#     plugin is missing), with a throw-away password so the required variables resolve.
#
#   deploy/validate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=${TOOLS:-/var/tmp/agent-api-validate}

echo "== Kubernetes manifests (deploy/k8s)"
command -v kubectl >/dev/null || { echo "kubectl is needed for kustomize" >&2; exit 1; }
mkdir -p "$TOOLS"
if [ ! -d "$TOOLS/node_modules/kubernetes-models" ] || [ ! -x "$TOOLS/node_modules/.bin/action-validator" ]; then
    (cd "$TOOLS" && { [ -f package.json ] || npm init -y >/dev/null; } \
        && npm install --silent --no-audit --no-fund kubernetes-models@5.1.0 yaml@2 @action-validator/cli@0.6.0 @action-validator/core@0.6.0 >/dev/null)
fi
cp deploy/validate-manifests.mjs "$TOOLS/"
kubectl kustomize deploy/k8s | (cd "$TOOLS" && node validate-manifests.mjs)

echo "== GitHub Actions workflows"
for workflow in .github/workflows/*.yml; do
    "$TOOLS/node_modules/.bin/action-validator" "$workflow"
    echo "   valid: $workflow"
done

echo "== docker-compose.yml"
if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null; then COMPOSE=(docker-compose)
else apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; COMPOSE=(docker-compose)
fi
echo "   with: $("${COMPOSE[@]}" version | head -1)"
POSTGRES_PASSWORD=validate-only AGENT_API_REPLICA_SECRET=validate-only AGENT_STATE_KEY=validate-only "${COMPOSE[@]}" --env-file .env.example -f docker-compose.yml config -q
echo "   valid: docker-compose.yml"
