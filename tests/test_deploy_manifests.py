"""deploy/k8s: the Kubernetes manifests render with kustomize, pass the schemas of a pinned
Kubernetes release, and keep the promises that no schema knows (docs/deploy.md,
"Kubernetes"): the content ConfigMaps are the repository's files, the probes reach the
ports and routes the processes really serve, socket.io is pinned to one Rasa replica, the
Secret holds placeholders only, Rasa runs twice with the Redis lock store.

Needs `kubectl` (its `kubectl kustomize`; KUBECTL names another) and deploy/.venv with
kubernetes-validate: deploy/scripts/setup.sh, which `make test` runs first. Nothing here
talks to a cluster.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List
from urllib.parse import urlsplit

import pytest
import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_DIR / "content"
KUSTOMIZATIONS = ["deploy/k8s/base", "deploy/k8s/overlays/demo"]
# The release whose schemas the manifests must pass (kubernetes-validate ships them).
KUBERNETES_VERSION = "1.33.0"
KUBECTL = os.environ.get("KUBECTL", "kubectl")
VALIDATE = PROJECT_DIR / "deploy" / ".venv" / "bin" / "kubernetes-validate"
SETUP = "run deploy/scripts/setup.sh (make test does)"
# Secret values: empty, or saying plainly that they are to be replaced
PLACEHOLDER = re.compile(r"change-me", re.I)
# Deployments whose processes read content/ (the registration service reads events.yml only)
READS_CONTENT = ("rasa", "actions")


def render(kustomization: str) -> str:
    if shutil.which(KUBECTL) is None:
        pytest.fail(f"{KUBECTL} not found: {SETUP}")
    done = subprocess.run([KUBECTL, "kustomize", kustomization], cwd=PROJECT_DIR, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, f"kubectl kustomize {kustomization} failed:\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module", params=KUSTOMIZATIONS)
def rendered(request: Any) -> Dict[str, Any]:
    text = render(request.param)
    docs = [doc for doc in yaml.safe_load_all(text) if doc]
    assert docs, f"{request.param} renders nothing"
    return {"path": request.param, "text": text, "docs": docs}


def of_kind(rendered: Dict[str, Any], kind: str) -> List[Dict[str, Any]]:
    return [doc for doc in rendered["docs"] if doc["kind"] == kind]


def named(rendered: Dict[str, Any], kind: str, name: str) -> Dict[str, Any]:
    """The resource of that kind and name; generated ConfigMaps and Secrets by the name
    before kustomize's hash suffix."""
    found = [doc for doc in of_kind(rendered, kind) if base_name(doc) == name]
    assert len(found) == 1, f"{rendered['path']}: {len(found)} {kind} named {name}"
    return found[0]


def base_name(doc: Dict[str, Any]) -> str:
    name = doc["metadata"]["name"]
    if doc["kind"] in ("ConfigMap", "Secret"):
        return re.sub(r"-[a-z0-9]{10}$", "", name)
    return name


def settings(rendered: Dict[str, Any]) -> Dict[str, str]:
    """What the pods' environment holds: the avatar-settings ConfigMap and the Secret."""
    values = dict(named(rendered, "ConfigMap", "avatar-settings")["data"])
    secret = named(rendered, "Secret", "avatar-secrets")
    values.update({key: base64.b64decode(value).decode() for key, value in (secret.get("data") or {}).items()})
    values.update(secret.get("stringData") or {})
    return values


def container(rendered: Dict[str, Any], deployment: str) -> Dict[str, Any]:
    containers = named(rendered, "Deployment", deployment)["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def content_folder(configmap: str) -> Path:
    """content/ for "content", content/places/it for "content-places-it"
    (content/kustomization.yaml, deploy/copy-content.sh)."""
    if configmap == "content":
        return CONTENT_DIR
    assert configmap.startswith("content-"), configmap
    return CONTENT_DIR.joinpath(*configmap[len("content-"):].split("-"))


def content_configmaps(rendered: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return {base_name(doc): doc for doc in of_kind(rendered, "ConfigMap")
            if base_name(doc) == "content" or base_name(doc).startswith("content-")}


# --- the manifests are Kubernetes objects -------------------------------------------------


def validate(path: Path) -> subprocess.CompletedProcess:
    if not VALIDATE.exists():
        pytest.fail(f"{VALIDATE.relative_to(PROJECT_DIR)} is missing: {SETUP}")
    return subprocess.run([str(VALIDATE), "--strict", "--kubernetes-version", KUBERNETES_VERSION, str(path)],
                          capture_output=True, text=True, timeout=120)


def test_every_rendered_manifest_passes_the_kubernetes_schemas(rendered, tmp_path):
    path = tmp_path / "rendered.yaml"
    path.write_text(rendered["text"], encoding="utf-8")
    done = validate(path)
    failures = "\n".join(line for line in done.stdout.splitlines() if " passed " not in line)
    assert done.returncode == 0, f"{rendered['path']}:\n{failures}\n{done.stderr}"
    # one "passed" line per resource: nothing was left out as unknown
    assert done.stdout.count(" passed ") == len(rendered["docs"]), done.stdout


def test_the_validator_rejects_a_broken_manifest(tmp_path):
    """The check above can fail: a misspelt field and a wrong type do not pass."""
    broken = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "rasa"},
              "spec": {"replicas": "two", "selector": {"matchLabels": {"a": "b"}},
                       "template": {"metadata": {"labels": {"a": "b"}},
                                    "spec": {"containers": [{"name": "rasa", "image": "x",
                                                             "readinesProbe": {}}]}}}}
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(broken), encoding="utf-8")
    done = validate(path)
    assert done.returncode != 0, done.stdout


# --- content ------------------------------------------------------------------------------


def test_the_content_configmaps_hold_the_repository_files_where_the_pods_expect_them(rendered):
    configmaps = content_configmaps(rendered)
    assert {"content", "content-knowledge", "content-places"} <= set(configmaps)
    in_configmaps = set()
    for name, configmap in configmaps.items():
        folder = content_folder(name)
        for key, value in configmap["data"].items():
            source = folder / key
            assert source.is_file(), f"ConfigMap {name}: {key} is not a file of {folder.relative_to(PROJECT_DIR)}"
            assert source.read_text(encoding="utf-8") == value, f"ConfigMap {name}: {key} differs from {source}"
            in_configmaps.add(source)
    on_disk = {path for path in CONTENT_DIR.rglob("*.yml")}
    missing = sorted(str(path.relative_to(PROJECT_DIR)) for path in on_disk - in_configmaps)
    assert not missing, f"not in any ConfigMap (add them to content/kustomization.yaml): {missing}"


def test_the_pods_that_read_content_mount_every_content_configmap(rendered):
    configmaps = {doc["metadata"]["name"]: base_name(doc) for doc in content_configmaps(rendered).values()}
    for deployment in READS_CONTENT:
        spec = named(rendered, "Deployment", deployment)["spec"]["template"]["spec"]
        volumes = {volume["name"]: configmaps[volume["configMap"]["name"]] for volume in spec["volumes"]
                   if "configMap" in volume and volume["configMap"]["name"] in configmaps}
        assert set(volumes.values()) == set(configmaps.values()), f"{deployment}: content volumes {volumes}"
        init = [c for c in spec.get("initContainers", []) if c["name"] == "content"]
        assert len(init) == 1, f"{deployment}: no init container 'content'"
        assert init[0]["command"][:1] == ["/app/deploy/copy-content.sh"]
        source, target = init[0]["command"][1:]
        mounts = {m["name"]: m["mountPath"] for m in init[0]["volumeMounts"]}
        for volume, configmap in volumes.items():
            # copy-content.sh finds the folder from the mount's name: SOURCE/<ConfigMap>
            assert mounts.get(volume) == f"{source}/{configmap}", f"{deployment}: {volume} at {mounts.get(volume)}"
        main = {m["mountPath"]: m["name"] for m in container(rendered, deployment)["volumeMounts"]}
        assert main.get(target) == next(n for n, p in mounts.items() if p == target)
        assert settings(rendered)["CONTENT_DIR"] == target


def test_copy_content_lays_the_configmaps_out_as_content_again(rendered, tmp_path):
    """deploy/copy-content.sh over mounts laid out as the kubelet does (files as links into
    a hidden ..data folder); then the places loader reads the copy without duplicates."""
    source, target = tmp_path / "src", tmp_path / "content"
    for name, configmap in content_configmaps(rendered).items():
        mount = source / name
        data = mount / "..2026_01_01_00_00_00.000000000"
        data.mkdir(parents=True)
        (mount / "..data").symlink_to(data.name)
        for key, value in configmap["data"].items():
            (data / key).write_text(value, encoding="utf-8")
            (mount / key).symlink_to(Path("..data") / key)
    done = subprocess.run(["sh", str(PROJECT_DIR / "deploy" / "copy-content.sh"), str(source), str(target)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    copied = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    original = {p.relative_to(CONTENT_DIR): p.read_bytes() for p in CONTENT_DIR.rglob("*.yml")}
    assert copied == original
    from components import places

    assert places.load(target / "places").keys() == places.load(CONTENT_DIR / "places").keys()


# --- ports and probes ---------------------------------------------------------------------


def resolve_port(port: Any, ports: Dict[str, int]) -> int:
    return ports[port] if isinstance(port, str) else port


def probes(spec: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return {kind: spec[kind] for kind in ("startupProbe", "livenessProbe", "readinessProbe") if kind in spec}


def test_every_probe_and_service_reaches_the_port_its_process_listens_on(rendered):
    env = settings(rendered)
    registration = container(rendered, "registration")["command"]
    listens = {
        "rasa": int(env["RASA_PORT"]),  # scripts/start-rasa.sh --port
        "actions": int(env["ACTION_PORT"]),  # scripts/start-actions.sh --port
        "registration": int(registration[registration.index("--port") + 1]),
    }
    start_rasa = (PROJECT_DIR / "scripts" / "start-rasa.sh").read_text(encoding="utf-8")
    assert '--port "${RASA_PORT:-5005}"' in start_rasa
    assert '--interface "${RASA_HOST:-127.0.0.1}"' in start_rasa and env["RASA_HOST"] == "0.0.0.0"
    assert '--port "${ACTION_PORT:-5055}"' in (PROJECT_DIR / "scripts" / "start-actions.sh").read_text()
    assert env["ACTION_HOST"] == "0.0.0.0" and "--host" in registration
    assert registration[registration.index("--host") + 1] == "0.0.0.0"
    services = {doc["metadata"]["name"]: doc for doc in of_kind(rendered, "Service")}
    for deployment, port in listens.items():
        spec = container(rendered, deployment)
        ports = {p["name"]: p["containerPort"] for p in spec["ports"]}
        assert list(ports.values()) == [port], f"{deployment}: containerPort {ports} but it listens on {port}"
        assert probes(spec).keys() >= {"livenessProbe", "readinessProbe"}, f"{deployment}: probes missing"
        for kind, probe in probes(spec).items():
            action = probe.get("httpGet") or probe.get("tcpSocket")
            assert resolve_port(action["port"], ports) == port, f"{deployment} {kind}: port {action['port']}"
        service = services[deployment]
        assert service["spec"]["selector"].items() <= \
            named(rendered, "Deployment", deployment)["spec"]["template"]["metadata"]["labels"].items()
        for service_port in service["spec"]["ports"]:
            assert resolve_port(service_port["targetPort"], ports) == port
    # the addresses the processes call each other by are these Services and ports
    for variable, deployment in (("ACTION_ENDPOINT_URL", "actions"), ("REGISTRATION_SERVICE_URL", "registration")):
        url = urlsplit(env[variable])
        assert url.hostname == deployment, f"{variable}={env[variable]}: not the Service {deployment}"
        assert url.port in [p["port"] for p in services[deployment]["spec"]["ports"]], f"{variable}: port"


def http_paths(rendered: Dict[str, Any], deployment: str) -> Dict[str, str]:
    spec = container(rendered, deployment)
    return {kind: probe["httpGet"]["path"] for kind, probe in probes(spec).items() if "httpGet" in probe}


@pytest.fixture(scope="module")
def rasa_app() -> Any:
    """Rasa's Sanic app as `rasa run` builds it without the HTTP API, with our REST channel."""
    from rasa.core.channels import channel
    from rasa.core.run import _create_app_without_api

    from channels.rest import RestChannel

    app = _create_app_without_api()
    channel.register([RestChannel()], app, route="/webhooks/")
    app.router.finalize()
    return app


@pytest.fixture(scope="module")
def action_server_app() -> Any:
    """The action server's Sanic app as channels/action_server.py builds it."""
    from rasa_sdk.endpoint import create_app

    from channels.action_server import guard_action_webhook

    app = guard_action_webhook(create_app(None))
    app.router.finalize()
    return app


def test_rasas_probes_ask_routes_that_rasa_serves(rendered, rasa_app):
    """Rasa's GET / (rasa.server.add_root_route) and the REST channel's GET
    /webhooks/rest/ (channels/rest.py), resolved by the Sanic router Rasa builds."""
    from channels.rest import RestChannel

    paths = http_paths(rendered, "rasa")
    assert paths["livenessProbe"] == "/" and paths["readinessProbe"] == f"/webhooks/{RestChannel.name()}/"
    for path in paths.values():
        rasa_app.router.get(path, "GET", None)  # raises NotFound


def test_the_action_servers_probes_ask_a_route_it_serves(rendered, action_server_app):
    paths = http_paths(rendered, "actions")
    assert paths
    for path in paths.values():
        action_server_app.router.get(path, "GET", None)  # raises NotFound


def test_the_registration_services_probe_asks_a_route_it_serves(rendered):
    python = PROJECT_DIR / "backend" / ".venv" / "bin" / "python"
    if not python.exists():
        pytest.fail("backend/.venv is missing: make install")
    listing = ("import json; from app.main import create_app; "
               "print(json.dumps({p: sorted(m) for p, m in create_app().openapi()['paths'].items()}))")
    done = subprocess.run([str(python), "-c", listing], cwd=PROJECT_DIR / "backend", capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(PROJECT_DIR / "backend"),
                                           "ENVIRONMENT": "development"})
    assert done.returncode == 0, done.stderr[-2000:]
    routes = {path for path, methods in json.loads(done.stdout.strip().splitlines()[-1]).items() if "get" in methods}
    paths = http_paths(rendered, "registration")
    assert paths and set(paths.values()) <= routes, f"{paths} not among {sorted(routes)}"


# --- the scaled topology ------------------------------------------------------------------


def test_rasa_runs_at_least_two_replicas(rendered):
    assert named(rendered, "Deployment", "rasa")["spec"]["replicas"] >= 2


def test_the_ingress_pins_a_browser_to_one_rasa_replica_with_a_cookie(rendered):
    ingresses = of_kind(rendered, "Ingress")
    assert len(ingresses) == 1
    ingress = ingresses[0]
    annotations = ingress["metadata"].get("annotations") or {}
    assert annotations.get("nginx.ingress.kubernetes.io/affinity") == "cookie"
    assert annotations.get("nginx.ingress.kubernetes.io/session-cookie-name")
    assert ingress["spec"].get("ingressClassName") == "nginx"
    rasa_ports = [p["name"] for p in named(rendered, "Service", "rasa")["spec"]["ports"]]
    paths = {}
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            paths[path["path"]] = backend["name"]
            assert backend["port"].get("name") in rasa_ports or backend["port"].get("number") == 5005
    assert paths.get("/socket.io/") == "rasa" and paths.get("/webhooks/") == "rasa"


def test_the_secret_holds_placeholders_only(rendered):
    secrets = of_kind(rendered, "Secret")
    assert secrets
    for secret in secrets:
        values = {key: base64.b64decode(value).decode() for key, value in (secret.get("data") or {}).items()}
        values.update(secret.get("stringData") or {})
        for key, value in values.items():
            assert not value or PLACEHOLDER.search(value), \
                f"Secret {secret['metadata']['name']}: {key} is not a placeholder (empty, or with 'change-me')"
    # and the ConfigMap of settings holds nothing that belongs in the Secret
    for key, value in named(rendered, "ConfigMap", "avatar-settings")["data"].items():
        assert not re.search(r"TOKEN|PASSWORD|SECRET", key), f"avatar-settings: {key} belongs in the Secret"
        assert not re.search(r"://[^/@\s]+:[^/@\s]+@", value), f"avatar-settings: {key} holds a password"


def test_rasa_uses_the_redis_lock_store_and_postgresql_from_the_endpoints_configmap(rendered):
    endpoints_map = named(rendered, "ConfigMap", "rasa-endpoints")
    text = endpoints_map["data"]["endpoints.yml"]
    endpoints = yaml.safe_load(text)
    lock = endpoints["lock_store"]
    # Rasa's Redis lock store with atomic ticket changes (components/lock_store.py), as
    # `make run-scaled` uses it: Rasa's own `type: redis` lost turns across instances
    assert lock["type"] == "components.lock_store.AtomicRedisLockStore"
    services = {doc["metadata"]["name"]: doc for doc in of_kind(rendered, "Service")}
    assert lock["url"] in services, f"lock_store url {lock['url']} is not a Service"
    assert isinstance(lock["port"], int) and isinstance(lock["db"], int)
    assert str(lock["key_prefix"]).isalnum()  # Rasa ignores a prefix that is not
    env = settings(rendered)
    # Rasa refuses to start when a ${VAR} of endpoints.yml is not set
    for variable in re.findall(r"\$\{(\w+)\}", text):
        assert variable in env, f"endpoints.yml needs {variable}: set it in settings.env or the Secret"
    assert endpoints["tracker_store"]["url"] == "${TRACKER_STORE_URL}"
    tracker = urlsplit(env["TRACKER_STORE_URL"])
    assert tracker.scheme.startswith("postgresql") and tracker.hostname in services
    assert urlsplit(env["DATABASE_URL"]).scheme.startswith("postgresql")
    # mounted where scripts/start-rasa.sh reads it (endpoints.yml in /app, unless
    # RASA_ENDPOINTS names another file, as make run-scaled does)
    assert '--endpoints "${RASA_ENDPOINTS:-endpoints.yml}"' in (
        PROJECT_DIR / "scripts" / "start-rasa.sh").read_text(encoding="utf-8")
    volumes = named(rendered, "Deployment", "rasa")["spec"]["template"]["spec"]["volumes"]
    volume = next(v["name"] for v in volumes if v.get("configMap", {}).get("name") == endpoints_map["metadata"]["name"])
    mount = next(m for m in container(rendered, "rasa")["volumeMounts"] if m["name"] == volume)
    assert (mount["mountPath"], mount.get("subPath")) == ("/app/endpoints.yml", "endpoints.yml")


def test_every_pod_runs_the_projects_image_and_a_script_of_the_project(rendered):
    """One image (deploy/Containerfile, the project at /app); each command that is a file
    of the project exists here and is executable."""
    images = set()
    for doc in of_kind(rendered, "Deployment") + of_kind(rendered, "Job"):
        spec = doc["spec"]["template"]["spec"]
        for pod_container in spec["containers"] + spec.get("initContainers", []):
            images.add(pod_container["image"])
            program = pod_container["command"][0]
            assert program.startswith("/app/"), f"{doc['metadata']['name']}: {program} is not in the image's /app"
            if "/.venv/" not in program:  # environments are made in the image
                path = PROJECT_DIR / program[len("/app/"):]
                assert path.is_file() and os.access(path, os.X_OK), f"{program}: no executable {path}"
    assert len(images) == 1, images
