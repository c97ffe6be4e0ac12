"""deploy/helm/contacts-platform: `helm lint --strict`, every rendered manifest valid against the
Kubernetes schemas (kubernetes-validate, strict: no unknown field), and the properties the
deployment relies on, with the default values and with each example in examples/.

No cluster here: `helm template` and the schemas are the proof (docs/deployment.md). The helm
binary comes from scripts/install_helm.sh (run by scripts/setup.sh).
"""

from __future__ import annotations

import re

import kubernetes_validate
import pytest
from contacts_client import PlatformSettings
from contacts_service.settings import ContactsSettings
from contacts_web.settings import WebSettings
from directory_service.settings import DirectorySettings
from importer_service.settings import ImporterSettings
from invitations_service.settings import InvitationsSettings

from .helm_chart import (
    EXAMPLES,
    RELEASE,
    SERVICES,
    environment_of,
    helm,
    pod_specs,
    render,
)

pytestmark = pytest.mark.unit  # helm: tests/deploy/conftest.py

KUBERNETES_VERSION = "1.37.0"
VALUE_SETS = [None, *EXAMPLES]
VALUE_IDS = ["defaults", *(path.stem for path in EXAMPLES)]
SETTINGS = {"directory": DirectorySettings, "contacts": ContactsSettings,
            "importer": ImporterSettings, "invitations": InvitationsSettings,
            "web": WebSettings}  # fmt: skip
# Issue 17's names owned by the `secure` and `cluster` parts (Kafka TLS/SASL, topic settings):
# the chart sets them already; the services read them once those parts are merged.
EXPANDED = re.compile(r"\$\(([A-Z0-9_]+)\)")


def settings_read_by(service: str) -> set[str]:
    names = {name.upper() for name in SETTINGS[service].model_fields}
    if service == "web":  # the typed client's, prefixed CONTACTS_
        names |= {f"CONTACTS_{name.upper()}" for name in PlatformSettings.model_fields}
    return names


@pytest.mark.parametrize("values", VALUE_SETS, ids=VALUE_IDS)
def test_helm_lint_strict_passes(values):
    result = helm("lint", "--strict", ".", *(["-f", str(values)] if values else []))

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("values", VALUE_SETS, ids=VALUE_IDS)
def test_every_rendered_manifest_is_valid_for_kubernetes(values):
    rendered = render(values)

    for obj in rendered.objects:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
    kinds = {obj["kind"] for obj in rendered.objects}
    assert {"Deployment", "Service", "ConfigMap", "Job", "PodDisruptionBudget",
            "NetworkPolicy"} <= kinds  # fmt: skip


def test_an_unknown_field_fails_the_validation():
    """The strict validation refuses what Kubernetes would drop silently."""
    deployment = render().of_kind("Deployment")[0]
    spec = deployment["spec"]["template"]["spec"]
    broken = {**deployment, "spec": {**deployment["spec"], "template": {
        **deployment["spec"]["template"], "spec": {**spec, "runAsNonRoot": True}}}}  # fmt: skip

    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_autoscaling_renders_a_valid_hpa_and_leaves_replicas_to_it():
    rendered = render(None, "services.importer.autoscaling.enabled=true")

    hpa = rendered.named("HorizontalPodAutoscaler", f"{RELEASE}-importer")
    kubernetes_validate.validate(hpa, KUBERNETES_VERSION, strict=True)
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert "replicas" not in rendered.named("Deployment", f"{RELEASE}-importer")["spec"]
    assert rendered.named("Deployment", f"{RELEASE}-contacts")["spec"]["replicas"] == 2


@pytest.mark.parametrize("values", VALUE_SETS, ids=VALUE_IDS)
def test_every_container_is_non_root_read_only_and_limited(values):
    for name, pod in pod_specs(render(values)):
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] > 0, name
        assert pod["automountServiceAccountToken"] is False, name
        for container in pod["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"] == {"drop": ["ALL"]}, name
            assert security["seccompProfile"] == {"type": "RuntimeDefault"}, name
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name


def test_every_deployment_probes_health_and_ready_and_writes_only_to_tmp():
    for deployment in render().of_kind("Deployment"):
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["livenessProbe"]["httpGet"]["path"] == "/health"
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
        assert container["startupProbe"]["httpGet"]["path"] == "/health"
        tmp = next(v for v in pod["volumes"] if v["name"] == "tmp")
        assert "emptyDir" in tmp
        assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]  # noqa: S108 - the pod's own emptyDir


def test_one_migration_job_per_service_runs_before_the_release():
    rendered = render()
    jobs = rendered.of_kind("Job")

    assert sorted(job["metadata"]["name"] for job in jobs) == sorted(
        f"{RELEASE}-{service}-migrate" for service in SERVICES
    )
    for job in jobs:
        annotations = job["metadata"]["annotations"]
        assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
        assert "before-hook-creation" in annotations["helm.sh/hook-delete-policy"]
        service = job["metadata"]["labels"]["app.kubernetes.io/name"]
        container = job["spec"]["template"]["spec"]["containers"][0]
        assert container["command"] == [f"{service}-service", "migrate"]
        labels = job["spec"]["template"]["metadata"]["labels"]
        selector = rendered.named("Service", f"{RELEASE}-{service}")["spec"]["selector"]
        assert not selector.items() <= labels.items(), "a Service would route to a Job's pod"
    for deployment in rendered.of_kind("Deployment"):
        assert environment_of(rendered, deployment)["DB_MIGRATE_ON_START"] == "false"


@pytest.mark.parametrize("values", VALUE_SETS, ids=VALUE_IDS)
def test_every_variable_the_chart_sets_is_a_setting_the_service_reads(values):
    rendered = render(values)
    for deployment in rendered.of_kind("Deployment"):
        service = deployment["metadata"]["labels"]["app.kubernetes.io/name"]
        variables = environment_of(rendered, deployment)
        inputs = {m for value in variables.values() for m in EXPANDED.findall(value or "")}

        unknown = set(variables) - settings_read_by(service) - inputs

        assert not unknown, f"{service} reads no setting named {sorted(unknown)}"
