"""Pydantic models of the Connect API's representations (reference + connect-api-facts.md).

Conventions others rely on: attributes are snake_case with camelCase aliases; dump what you send with
``model_dump(by_alias=True, exclude_none=True, mode="json")`` (``None`` means absent, ``[]`` means empty).
Reading is tolerant (unknown fields kept, optional where real responses omit them, unknown enum values kept
as plain strings); what we send is strict (``extra="forbid"``). Secured values are plain strings here: the
caller reveals them at send time, so never log or print a draft or update.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

# one list of status names, shared with the pure planner (re-exported here)
from gitsync.statuses import DeploymentStatus as DeploymentStatus


class DeploymentType(StrEnum):
    PREVIEW = "preview"
    SANDBOX = "sandbox"
    PRODUCTION = "production"


class Region(StrEnum):
    EUROPE_WEST1_GCP = "europe-west1.gcp"
    US_CENTRAL1_GCP = "us-central1.gcp"
    AUSTRALIA_SOUTHEAST1_GCP = "australia-southeast1.gcp"
    US_EAST_2_AWS = "us-east-2.aws"
    EU_CENTRAL_1_AWS = "eu-central-1.aws"


class IntegrationType(StrEnum):
    TAX = "tax"
    MARKETPLACE = "marketplace"
    OMS = "oms"
    PSP = "psp"
    PIM = "pim"
    PROMOTION = "promotion"
    SEARCH = "search"
    ERP = "erp"
    CRM = "crm"
    EMAIL = "email"
    ANALYTICS = "analytics"
    SHIPPING = "shipping"
    GIFTCARD = "giftcard"
    OTHER = "other"


class DeploymentReportEntryType(StrEnum):
    INFORMATION = "Information"
    WARNING = "Warning"
    ERROR = "Error"


class ApplicationType(StrEnum):
    SERVICE = "service"
    EVENT = "event"
    JOB = "job"
    MC_CUSTOM_APPLICATION = "merchant-center-custom-application"
    MC_CUSTOM_VIEW = "merchant-center-custom-view"
    ASSETS = "assets"


def _keep_unknown(enum: type[StrEnum]) -> AfterValidator:
    """Known values become enum members (still ``str``); a value the API added later stays a plain str."""

    def convert(value: str) -> str:
        try:
            return enum(value)
        except ValueError:
            return value

    return AfterValidator(convert)


Status = Annotated[str, _keep_unknown(DeploymentStatus)]
TypeName = Annotated[str, _keep_unknown(DeploymentType)]
RegionName = Annotated[str, _keep_unknown(Region)]
Integration = Annotated[str, _keep_unknown(IntegrationType)]
EntryType = Annotated[str, _keep_unknown(DeploymentReportEntryType)]
AppType = Annotated[str, _keep_unknown(ApplicationType)]


def _config(extra: Literal["allow", "forbid"]) -> ConfigDict:
    """camelCase on the wire, frozen, and no input (possibly a secured value) in validation errors."""
    return ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra=extra,
        frozen=True,
        serialize_by_alias=True,
        hide_input_in_errors=True,
    )


class ReadModel(BaseModel):
    """A representation the API sends us: unknown fields are kept, never an error."""

    model_config = _config("allow")


class SendModel(BaseModel):
    """A body we send: a misspelt field is a bug, so it fails loudly instead of being sent."""

    model_config = _config("forbid")


# --- configuration values (sent and read) -----------------------------------------------------------


class ConfigurationValue(SendModel):
    """One environment variable of an application: values are always strings."""

    key: str
    # Hidden from repr: secured values travel in this same type, and a repr must never show one.
    value: str = Field(repr=False)


class LiveConfigurationValue(ConfigurationValue):
    """A configuration value as read back (secured values come back masked with ``*``)."""

    model_config = ConfigDict(extra="allow")


class DeploymentGlobalConfiguration(SendModel):
    """Configuration shared by every application of a Deployment."""

    standard_configuration: list[ConfigurationValue] | None = None
    secured_configuration: list[ConfigurationValue] | None = None


class LiveGlobalConfiguration(ReadModel):
    """A Deployment's global configuration as read back."""

    standard_configuration: list[LiveConfigurationValue] = []
    secured_configuration: list[LiveConfigurationValue] = []


class DeploymentConfigurationApplication(SendModel):
    """The configuration set of one application, as sent in a draft or a redeploy."""

    application_name: str
    standard_configuration: list[ConfigurationValue] = []
    secured_configuration: list[ConfigurationValue] = []
    schedule: str | None = None


# --- connectors ---------------------------------------------------------------------------------------


class StandardConfigurationKey(ReadModel):
    """A plain-text key a connector declares; ``default`` applies when the Deployment omits it."""

    key: str
    description: str | None = None
    default: str | None = None
    required: bool | None = False


class SecuredConfigurationKey(ReadModel):
    """A secret key a connector declares (no default)."""

    key: str
    description: str | None = None
    required: bool | None = False


class ConnectorConfigurationApplication(ReadModel):
    """One application of a connector (from its connect.yaml) and the keys it accepts."""

    application_name: str
    application_type: AppType | None = None
    standard_configuration: list[StandardConfigurationKey] = []
    secured_configuration: list[SecuredConfigurationKey] = []


class ConnectorGlobalConfiguration(ReadModel):
    """Keys shared by every application (connect.yaml ``inheritAs.configuration``)."""

    standard_configuration: list[StandardConfigurationKey] = []
    secured_configuration: list[SecuredConfigurationKey] = []


class DeploymentCreator(ReadModel):
    """Owner of a connector."""

    email: str | None = None
    name: str | None = None
    title: str | None = None
    company: str | None = None
    no_of_contributors: int | None = None
    logo_url: str | None = None
    support_url: str | None = None


class ConnectorRepository(ReadModel):
    """Where a connector's applications live."""

    url: str | None = None
    tag: str | None = None


class ConnectorApiClient(ReadModel):
    """Scopes of the API client a connector has generated for its Deployments."""

    scopes: list[str] = []


class Connector(ReadModel):
    """A published Connector (``/connectors/{id}``)."""

    id: str
    key: str | None = None
    version: int
    name: str | None = None
    description: str | None = None
    integration_types: list[Integration] = []
    creator: DeploymentCreator | None = None
    repository: ConnectorRepository | None = None
    configurations: list[ConnectorConfigurationApplication] = []
    api_client: ConnectorApiClient | None = None
    private: bool | None = None
    global_configuration: ConnectorGlobalConfiguration | None = None
    supported_regions: list[RegionName] = []
    certified: bool | None = None
    documentation_url: str | None = None


class ConnectorStaged(Connector):
    """A ConnectorStaged (draft, ``/connectors/drafts/{id}``); deployable as ``preview`` when previewable."""

    private_projects: list[str] = []
    certification_info: Any = None
    status: str | None = None
    publishing_report: Any = None
    already_listed: bool | None = None
    has_changes: bool | None = None
    is_previewable: str | None = None  # the API's strings 'true' | 'false' | 'pending' | 'none'
    previewable_report: Any = None


# --- deployments (read) ----------------------------------------------------------------------------------


class DeploymentConnector(ReadModel):
    """The connector snapshot embedded in a Deployment; real responses omit ``key``: compare by ``id``."""

    id: str
    key: str | None = None
    version: int
    name: str | None = None
    description: str | None = None
    integration_types: list[Integration] = []
    creator: DeploymentCreator | None = None
    repository: ConnectorRepository | None = None
    configurations: list[ConnectorConfigurationApplication] | None = None
    global_configuration: ConnectorGlobalConfiguration | None = None
    certified: bool | None = None
    supported_regions: list[RegionName] | None = None
    documentation_url: str | None = None


class DeploymentReportEntry(ReadModel):
    """One information, warning or error of a build report."""

    type: EntryType
    title: str | None = None
    message: str | None = None
    application: str | None = None
    created_at: str | None = None  # ISO 8601, kept verbatim


class DeploymentReport(ReadModel):
    """The build report of a Deployment."""

    entries: list[DeploymentReportEntry] = []


class DeploymentDetailsBuild(ReadModel):
    """Build id and report of the latest deploy."""

    id: str | None = None
    report: DeploymentReport | None = None


class DeploymentDetails(ReadModel):
    """Build details; ``{}`` before the build starts (seen in real create responses)."""

    build: DeploymentDetailsBuild | None = None


class ApplicationDeployment(ReadModel):
    """One deployed application; secured values come back masked."""

    id: str | None = None
    application_name: str
    standard_configuration: list[LiveConfigurationValue] = []
    secured_configuration: list[LiveConfigurationValue] = []
    url: str | None = None
    topic: str | None = None
    schedule: str | None = None


class DeploymentApiClient(ReadModel):
    """The API client Connect generated for a Deployment."""

    name: str | None = None
    scopes: list[str] = []


class Deployment(ReadModel):
    """A Deployment as the API returns it."""

    id: str
    key: str | None = None
    version: int
    type: TypeName | None = None
    connector: DeploymentConnector
    global_configuration: LiveGlobalConfiguration | None = None
    api_client: DeploymentApiClient | None = None
    details: DeploymentDetails = DeploymentDetails()
    deployed_region: RegionName | None = None
    applications: list[ApplicationDeployment] = []
    preview: bool | None = None
    status: Status
    rollback_revision: int | str | None = None  # docs 2026-10-23: set when this version came from a rollback

    @property
    def report_entries(self) -> list[DeploymentReportEntry]:
        """The build report's entries, or none when the build has not started."""
        build = self.details.build
        return list(build.report.entries) if build and build.report else []


class DeploymentPagedQueryResponse(ReadModel):
    """One page of ``GET /{projectKey}/deployments``."""

    limit: int
    offset: int
    count: int
    total: int | None = None
    results: list[Deployment] = []


class DeploymentRevisionConnector(ReadModel):
    """The connector a revision ran (fields UNCONFIRMED: the docs name the type only)."""

    id: str | None = None
    key: str | None = None
    version: int | None = None


class DeploymentRevisionApplication(ReadModel):
    """One application's configuration in a revision (fields UNCONFIRMED); secured values masked."""

    application_name: str | None = None
    standard_configuration: list[LiveConfigurationValue] = []
    secured_configuration: list[LiveConfigurationValue] = []
    schedule: str | None = None


class DeploymentRevision(ReadModel):
    """A successful deploy Connect kept (docs 2026-10-23); every field optional: the docs leave them open."""

    revision: int | str | None = None
    deployment_version: int | None = None
    connector: DeploymentRevisionConnector | None = None
    applications: list[DeploymentRevisionApplication] = []
    global_configuration: LiveGlobalConfiguration | None = None
    created_at: str | None = None


class DeploymentRevisionPagedQueryResponse(ReadModel):
    """One page of a Deployment's revisions, most recent first."""

    limit: int | None = None
    offset: int | None = None
    count: int | None = None
    total: int | None = None
    results: list[DeploymentRevision] = []


# --- deployments (sent) ----------------------------------------------------------------------------------


class ConnectorReference(SendModel):
    """Which connector a draft deploys: ``id`` or ``key`` (at least one), optionally a version."""

    id: str | None = None
    key: str | None = None
    version: int | None = None
    staged: bool | None = None

    @model_validator(mode="after")
    def _id_or_key(self) -> ConnectorReference:
        if self.id is None and self.key is None:
            raise ValueError("a connector reference needs an id or a key")
        return self


class DeploymentDraft(SendModel):
    """Body of ``POST /{projectKey}/deployments``."""

    key: str | None = None
    type: TypeName | None = None
    connector: ConnectorReference
    configurations: list[DeploymentConfigurationApplication] | None = None
    global_configuration: DeploymentGlobalConfiguration | None = None
    region: RegionName


class DeploymentRedeployAction(SendModel):
    """The one update action: redeploy; omitted ``configuration_values`` leave values unchanged."""

    action: Literal["redeploy"] = "redeploy"
    skip_scripts: bool | None = None
    configuration_values: list[DeploymentConfigurationApplication] | None = None
    global_configuration: DeploymentGlobalConfiguration | None = None
    update_connector: bool | None = None


class DeploymentUpdate(SendModel):
    """Body of ``POST /{projectKey}/deployments/{id}``: ``version`` is the expected current version."""

    version: int
    actions: list[DeploymentRedeployAction]


class DeploymentRollback(SendModel):
    """Body of a rollback (UNCONFIRMED: the docs name the type; the expected version, as an update has)."""

    version: int


# --- errors and logs ---------------------------------------------------------------------------------------


class ErrorObject(ReadModel):
    """One error of an error response; code-specific fields are kept (``extra="allow"``)."""

    code: str
    message: str = ""
    expected_version: int | None = None
    current_version: int | None = None
    detailed_error_message: str | None = None
    field: str | None = None
    duplicate_value: Any = None
    value: Any = None


class ErrorResponse(ReadModel):
    """The API's error body: ``message`` is the first error's message."""

    status_code: int
    message: str = ""
    errors: list[ErrorObject] = []


class DeploymentLog(ReadModel):
    """One log line of a deployed application."""

    type: str | None = None
    deployment_id: str | None = None
    application_name: str | None = None
    severity: str | None = None
    timestamp: str | None = None  # ISO 8601, kept verbatim
    details: Any = None


class DeploymentLogPage(ReadModel):
    """One page of logs; ``next`` is the page token of the following page."""

    data: list[DeploymentLog] = []
    next: str | None = None


def dump(model: BaseModel) -> dict[str, Any]:
    """The JSON body the API expects for a model we send."""
    return model.model_dump(by_alias=True, exclude_none=True, mode="json")
