"""ConnectClient against the emulator over real loopback HTTP: every endpoint, lifecycle and error code."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest

from gitsync.api.client import ConnectClient
from gitsync.api.errors import (
    ApiError,
    AuthenticationError,
    AuthorizationError,
    ConcurrentModificationError,
    NotFoundError,
)
from gitsync.api.models import (
    ConfigurationValue,
    ConnectorReference,
    DeploymentConfigurationApplication,
    DeploymentDraft,
    DeploymentGlobalConfiguration,
    DeploymentStatus,
)
from gitsync.emulator import EmulatorApp
from gitsync.secret import Secret

from .conftest import CI_SECRET, DEPLOY_TIME, PROJECT, SEED, ClientFactory, Emulator

API_KEY = "adyen-api-key-value-123"


def processor(env: str = "LIVE", secret: str = API_KEY, **extra: Any) -> DeploymentConfigurationApplication:
    return DeploymentConfigurationApplication(
        application_name="processor",
        standard_configuration=[ConfigurationValue(key="ADYEN_ENV", value=env)],
        secured_configuration=[ConfigurationValue(key="ADYEN_API_KEY", value=secret)],
        **extra,
    )


def draft(
    key: str = "adyen", connector: str | ConnectorReference = "adyen-connector", **fields: Any
) -> DeploymentDraft:
    values: dict[str, Any] = {
        "key": key,
        "connector": ConnectorReference(key=connector) if isinstance(connector, str) else connector,
        "region": "europe-west1.gcp",
        "configurations": [processor()],
    }
    return DeploymentDraft.model_validate(values | fields)


def test_create_then_deploying_then_deployed(client: ConnectClient, emulator: Emulator) -> None:
    created = client.create_deployment(draft())
    # the create answer is Deploying with no build yet, as the one real sample (facts §4)
    assert (created.key, created.version, created.status) == ("adyen", 1, DeploymentStatus.DEPLOYING)
    assert created.details.build is None
    assert created.type == "sandbox"  # the API default for a published connector
    app = next(a for a in created.applications if a.application_name == "processor")
    assert app.secured_configuration[0].value == "*" * len(API_KEY)  # masked, even in the create response
    assert app.standard_configuration[0].value == "LIVE"
    emulator.advance(DEPLOY_TIME * 0.5)
    assert client.get_deployment(created.id).status == DeploymentStatus.DEPLOYING
    emulator.advance(DEPLOY_TIME)
    live = client.get_deployment_by_key("adyen")
    assert live.status == DeploymentStatus.DEPLOYED and live.version == 1
    assert live.connector.id and live.connector.version == 7


def test_a_failing_connector_ends_failed_with_an_error_report(
    client: ConnectClient, emulator: Emulator
) -> None:
    client.create_deployment(draft("broken", "broken-connector"))
    emulator.advance(DEPLOY_TIME * 2)
    failed = client.get_deployment_by_key("broken")
    assert failed.status == DeploymentStatus.FAILED
    errors = [entry for entry in failed.report_entries if entry.type == "Error"]
    assert errors and errors[0].title and errors[0].created_at


def test_delete_undeploys_then_the_key_is_gone(client: ConnectClient, emulator: Emulator) -> None:
    created = client.create_deployment(draft())
    emulator.advance(DEPLOY_TIME * 2)
    deleting = client.delete_deployment(key="adyen")
    assert deleting.id == created.id and deleting.status == DeploymentStatus.UNDEPLOYING
    emulator.advance(DEPLOY_TIME)
    assert client.find_deployment_by_key("adyen") is None
    with pytest.raises(NotFoundError, match="ResourceNotFound"):
        client.get_deployment(created.id)


def test_redeploy_bumps_the_version_and_refuses_while_busy(client: ConnectClient, emulator: Emulator) -> None:
    created = client.create_deployment(draft())
    with pytest.raises(ApiError) as busy:
        client.redeploy(key="adyen", version=created.version, configuration_values=[processor("TEST")])
    assert busy.value.code == "DeploymentInvalidStatusTransition"
    emulator.advance(DEPLOY_TIME * 2)
    redeployed = client.redeploy(id=created.id, version=1, configuration_values=[processor("TEST")])
    assert redeployed.version == 2 and redeployed.status == DeploymentStatus.DEPLOYING
    app = next(a for a in redeployed.applications if a.application_name == "processor")
    assert [(v.key, v.value) for v in app.standard_configuration] == [("ADYEN_ENV", "TEST")]


def test_a_stale_version_is_a_409_with_both_versions(client: ConnectClient, emulator: Emulator) -> None:
    client.create_deployment(draft())
    emulator.advance(DEPLOY_TIME * 2)
    with pytest.raises(ConcurrentModificationError) as caught:
        client.redeploy(key="adyen", version=7, configuration_values=[processor()])
    assert caught.value.status == 409
    assert (caught.value.expected_version, caught.value.current_version) == (7, 1)


def _deployed(client: ConnectClient, emulator: Emulator) -> None:
    client.create_deployment(draft())
    emulator.advance(DEPLOY_TIME * 2)


CREATE_ERRORS = [
    ("ConnectorReferenceNotFound", draft(connector="no-such-connector")),
    ("ConnectorReferenceNotFound", draft(connector=ConnectorReference(key="adyen-connector", version=3))),
    ("InvalidJsonInput", draft(key="x!")),
    (
        "DeploymentUnknownApplicationConfiguration",
        draft(configurations=[DeploymentConfigurationApplication(application_name="nope")]),
    ),
    (
        "DeploymentUnknownApplicationConfigurationKey",
        draft(
            configurations=[
                DeploymentConfigurationApplication(
                    application_name="processor",
                    standard_configuration=[ConfigurationValue(key="NOPE", value="x")],
                )
            ]
        ),
    ),
    (
        "DeploymentUnknownGlobalConfigurationKey",
        draft(
            global_configuration=DeploymentGlobalConfiguration(
                standard_configuration=[ConfigurationValue(key="NOPE", value="x")]
            )
        ),
    ),
    ("DeploymentUnsupportedRegion", draft(region="us-central1.gcp")),
    (
        "DeploymentInvalidType",
        draft(type="sandbox", connector=ConnectorReference(key="preview-connector", staged=True)),
    ),
    ("DeploymentInvalidType", draft(type="preview")),
    ("DeploymentProductionDeactivated", draft(type="production")),
    ("DeploymentMissingGlobalConfigurationKey", draft(connector=ConnectorReference(key="strict-connector"))),
    (
        "DeploymentEmptyRequiredGlobalConfigurationKey",
        draft(
            connector=ConnectorReference(key="strict-connector"),
            global_configuration=DeploymentGlobalConfiguration(
                standard_configuration=[ConfigurationValue(key="REGION_CODE", value="")]
            ),
        ),
    ),
]


@pytest.mark.parametrize(
    ("code", "body"), CREATE_ERRORS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CREATE_ERRORS)]
)
def test_create_errors_carry_the_api_code(client: ConnectClient, code: str, body: DeploymentDraft) -> None:
    with pytest.raises(ApiError) as caught:
        client.create_deployment(body)
    assert caught.value.status == 400 and caught.value.code == code
    assert f"project {PROJECT} at 127.0.0.1:" in str(caught.value)
    assert f"POST /{PROJECT}/deployments → 400 {code}: " in str(caught.value)
    assert client.find_deployment_by_key("adyen") is None


def test_a_taken_key_is_a_duplicate_field(client: ConnectClient, emulator: Emulator) -> None:
    _deployed(client, emulator)
    with pytest.raises(ApiError) as caught:
        client.create_deployment(draft())
    assert caught.value.code == "DuplicateField"
    assert str(caught.value).endswith(
        f"POST /{PROJECT}/deployments → 400 DuplicateField: A deployment with key 'adyen' already exists."
    )


@pytest.mark.parametrize(("mode", "status"), [("field", 400), ("conflict", 409)])
def test_a_taken_key_is_never_a_concurrent_modification(mode: str, status: int) -> None:
    # The duplicate-key status is UNCONFIRMED (facts §5.2): the emulator can answer either; neither is a 409
    # ConcurrentModification, which apply would answer by re-reading and re-planning.
    app = EmulatorApp(SEED, duplicate_key=mode)  # type: ignore[arg-type]
    transport = httpx.WSGITransport(app=app)  # type: ignore[arg-type]
    url = "http://127.0.0.1:9"
    secret = Secret("${CTP_CLIENT_SECRET}", CI_SECRET)
    with ConnectClient(PROJECT, "ci", secret, connect_url=url, auth_url=url, transport=transport) as client:
        client.create_deployment(draft())
        with pytest.raises(ApiError) as caught:
            client.create_deployment(draft())
        assert client.request_count == 3  # token, create, refused create: no retry, no recovery read
    assert type(caught.value) is ApiError
    assert (caught.value.status, caught.value.code) == (status, "DuplicateField")


def test_an_invalid_body_says_what_is_wrong(client: ConnectClient) -> None:
    with pytest.raises(ApiError) as caught:
        client.create_deployment(draft(key="x!"))
    assert caught.value.code == "InvalidJsonInput"
    assert "key: 'x!' must match ^[A-Za-z0-9_-]+$" in str(caught.value)


def test_redeploy_errors(client: ConnectClient, emulator: Emulator) -> None:
    _deployed(client, emulator)
    stranger = DeploymentConfigurationApplication(application_name="stranger")
    codes = []
    for values in ([stranger], []):
        with pytest.raises(ApiError) as caught:
            client.redeploy(key="adyen", version=1, configuration_values=values)
        codes.append(caught.value.code)
    assert codes[1] == "DeploymentApplicationRequired"
    assert codes[0] == "DeploymentApplicationDoNotBelong"


@pytest.mark.parametrize("bad", [{"limit": 501}, {"offset": 10001}, {"deployment_type": "bogus"}])
def test_bad_query_parameters(client: ConnectClient, bad: dict[str, Any]) -> None:
    with pytest.raises(ApiError) as caught:
        client.query_deployments(**bad)
    assert caught.value.code == "InvalidQueryParam"


def test_query_filters(client: ConnectClient, emulator: Emulator) -> None:
    client.create_deployment(draft())
    client.create_deployment(
        draft("staged", ConnectorReference(key="preview-connector", staged=True), type="preview")
    )
    assert [d.key for d in client.query_deployments(deployment_type="preview").results] == ["staged"]
    assert client.query_deployments(integration_types=["psp"]).total == 2
    assert client.query_deployments(integration_types=["tax"]).total == 0
    page = client.query_deployments(limit=1, offset=1)
    assert (page.limit, page.offset, page.count, page.total) == (1, 1, 1, 2)


def test_update_connector_moves_to_the_latest_version(client: ConnectClient, emulator: Emulator) -> None:
    _deployed(client, emulator)
    newer = next(c for c in SEED["connectors"] if c["key"] == "adyen-connector") | {"version": 8}
    emulator.admin("seed", {"connectors": [newer]})
    assert client.get_deployment_by_key("adyen").connector.version == 7  # never upgraded by itself
    redeployed = client.redeploy(key="adyen", version=1, update_connector=True)
    assert redeployed.connector.version == 8 and redeployed.version == 2


def test_connectors_published_and_staged(client: ConnectClient) -> None:
    published = client.get_connector_by_key("adyen-connector")
    assert published.version == 7 and [a.application_name for a in published.configurations] == [
        "processor",
        "notifier",
    ]
    assert client.get_connector(published.id).key == "adyen-connector"
    staged = client.get_connector_staged_by_key("preview-connector")
    assert client.get_connector_staged(staged.id).id == staged.id
    with pytest.raises(NotFoundError):
        client.get_connector_by_key("preview-connector")  # a staged connector is only under /drafts


def test_logs_page(client: ConnectClient, emulator: Emulator) -> None:
    _deployed(client, emulator)
    deployment = client.get_deployment_by_key("adyen")
    page = client.get_deployment_logs(key="adyen", application_name="processor")
    assert page.data and {log.application_name for log in page.data} == {"processor"}
    assert {log.deployment_id for log in client.get_deployment_logs(id=deployment.id).data} == {deployment.id}


def test_paging_over_more_than_500_uses_one_request_per_page(
    client: ConnectClient, emulator: Emulator
) -> None:
    total = 1203
    deployments = [
        {
            "projectKey": PROJECT,
            "status": "Deployed",
            "draft": {
                "key": f"d-{n:05d}",
                "connector": {"key": "adyen-connector"},
                "region": "europe-west1.gcp",
                "configurations": [],
            },
        }
        for n in range(total)
    ]
    emulator.admin("seed", {"deployments": deployments})
    keys = [d.key for d in client.iter_deployments()]
    assert sorted(keys) == [f"d-{n:05d}" for n in range(total)]
    assert emulator.count("GET /{projectKey}/deployments") == math.ceil(total / 500)


def test_retries_through_429_and_503(client: ConnectClient, emulator: Emulator) -> None:
    _deployed(client, emulator)
    path = f"/{PROJECT}/deployments/key=adyen"
    emulator.admin(
        "faults",
        {
            "faults": [
                {"method": "GET", "path": path, "status": 429, "times": 2, "retryAfter": 0},
                {"method": "GET", "path": path, "status": 503, "times": 1},
            ]
        },
    )
    before = client.request_count
    assert client.get_deployment_by_key("adyen").key == "adyen"
    assert client.request_count - before == 4


def test_a_create_whose_answer_is_lost_is_not_made_twice(client: ConnectClient, emulator: Emulator) -> None:
    emulator.fault(method="POST", path=f"/{PROJECT}/deployments", status=503, times=1, after=True)
    created = client.create_deployment(draft())
    assert created.key == "adyen"
    assert emulator.count("POST /{projectKey}/deployments") == 1
    assert len(list(client.iter_deployments())) == 1


def test_an_update_whose_answer_is_lost_is_not_redeployed_twice(
    client: ConnectClient, emulator: Emulator
) -> None:
    _deployed(client, emulator)
    emulator.fault(method="POST", path=f"/{PROJECT}/deployments/key=adyen", status=502, times=1, after=True)
    result = client.redeploy(key="adyen", version=1, configuration_values=[processor("TEST")])
    assert result.version == 2
    assert emulator.count("POST /{projectKey}/deployments/key={key}") == 1


def test_expired_tokens_are_refreshed_once(client: ConnectClient, emulator: Emulator) -> None:
    _deployed(client, emulator)
    emulator.admin("expire-tokens")
    assert client.get_deployment_by_key("adyen").key == "adyen"
    assert emulator.count("POST /oauth/token") == 2


def test_wrong_credentials_and_missing_scopes(make_client: ClientFactory) -> None:
    with pytest.raises(AuthenticationError, match="clientId/clientSecret"):
        make_client(secret="wrong").query_deployments()
    viewer = make_client("viewer", "viewer-secret")
    assert viewer.query_deployments().count == 0
    with pytest.raises(AuthorizationError, match=f"manage_connectors_deployments:{PROJECT}"):
        viewer.create_deployment(draft())


def test_a_scope_the_client_lacks_and_a_connector_read_without_view_connectors(
    make_client: ClientFactory,
) -> None:
    greedy = make_client(scopes=[f"manage_project:{PROJECT}"])
    with pytest.raises(AuthenticationError) as refused:
        greedy.query_deployments()
    assert (refused.value.status, refused.value.code) == (400, "invalid_scope")
    assert "requested scopes" in str(refused.value)
    viewer = make_client("viewer", "viewer-secret")
    with pytest.raises(AuthorizationError, match=f"view_connectors:{PROJECT}") as denied:
        viewer.get_connector_by_key("adyen-connector")
    assert (denied.value.status, denied.value.code) == (403, "insufficient_scope")


def test_a_connector_that_vanished_fails_update_connector(client: ConnectClient, emulator: Emulator) -> None:
    _deployed(client, emulator)
    replaced = next(c for c in SEED["connectors"] if c["key"] == "adyen-connector")
    emulator.admin("seed", {"connectors": [replaced | {"id": "a-new-connector-id", "version": 8}]})
    with pytest.raises(ApiError) as caught:
        client.redeploy(key="adyen", version=1, update_connector=True)
    assert (caught.value.status, caught.value.code) == (400, "DeploymentConnectorUpdateFailure")
    assert client.get_deployment_by_key("adyen").version == 1  # nothing was redeployed


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"application_name": "nope"}, "DeploymentApplicationDoesNotExist"),
        ({"start_date": "last tuesday"}, "DeploymentLogInvalidDate"),
        ({"page_token": "not-a-token"}, "DeploymentLogInvalidPageToken"),
    ],
)
def test_log_errors(client: ConnectClient, emulator: Emulator, params: dict[str, str], code: str) -> None:
    _deployed(client, emulator)
    with pytest.raises(ApiError) as caught:
        client.get_deployment_logs(key="adyen", **params)
    assert (caught.value.status, caught.value.code) == (400, code)


@pytest.mark.parametrize(("status", "code"), [(429, "TooManyRequests"), (502, "BadGateway")])
def test_retries_run_out_with_the_last_answer(
    make_client: ClientFactory, emulator: Emulator, status: int, code: str
) -> None:
    client = make_client(max_retries=2)
    emulator.fault(method="GET", path=f"/{PROJECT}/deployments", status=status, times=0, retryAfter=0)
    with pytest.raises(ApiError) as caught:
        client.query_deployments()
    assert (caught.value.status, caught.value.code) == (status, code)
    assert "retries were exhausted" in str(caught.value)
    assert emulator.count("GET /{projectKey}/deployments") == 3
