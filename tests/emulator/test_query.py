"""Query Deployments: paging past 500, limits, sort, filters and InvalidQueryParam."""

from __future__ import annotations

import pytest

from tests.emulator.conftest import PROJECT, Api, draft

LIST = f"/{PROJECT}/deployments"


def _seed_many(api: Api, count: int) -> None:
    items = [
        {"projectKey": PROJECT, "status": "Deployed", "draft": draft(f"dep-{i:04d}")} for i in range(count)
    ]
    response = api.client.post("/_emulator/seed", json={"deployments": items})
    assert response.status_code == 200, response.text


def test_paging_over_1200_deployments(api: Api) -> None:
    _seed_many(api, 1200)
    keys: list[str] = []
    offset = 0
    while True:
        page = api.get(LIST, params={"limit": 500, "offset": offset}).json()
        assert page["total"] == 1200 and page["limit"] == 500 and page["offset"] == offset
        assert page["count"] == len(page["results"])
        keys += [d["key"] for d in page["results"]]
        offset += 500
        if offset >= page["total"]:
            break
    assert keys == [f"dep-{i:04d}" for i in range(1200)]


def test_default_limit_is_20(api: Api) -> None:
    _seed_many(api, 25)
    page = api.get(LIST).json()
    assert (page["limit"], page["count"], page["total"]) == (20, 20, 25)
    assert api.get(LIST, params={"limit": 0}).json()["count"] == 0


def test_sort_repeatable_and_descending(api: Api) -> None:
    for key in ("bb", "aa", "cc"):
        api.create(key)
        api.clock.advance(1)
    api.post(f"{LIST}/key=aa", json={"version": 1, "actions": [{"action": "redeploy"}]})
    keys = [d["key"] for d in api.get(LIST, params={"sort": "createdAt desc"}).json()["results"]]
    assert keys == ["cc", "aa", "bb"]
    by_modified = api.get(LIST, params={"sort": ["lastModifiedAt desc", "key asc"]}).json()["results"]
    assert [d["key"] for d in by_modified] == ["aa", "cc", "bb"]


def test_filters_integration_types_and_deployment_type(api: Api) -> None:
    api.create("psp-one")
    api.create("prod-one", type="production")
    api.create(
        "tax-one",
        connector={"key": "preview-connector", "staged": True},
        configurations=[],
        globalConfiguration={},
    )
    tax = api.get(LIST, params={"integrationTypes": ["tax", "crm"]}).json()["results"]
    assert [d["key"] for d in tax] == ["tax-one"]
    psp = api.get(LIST, params={"integrationTypes": "psp", "deploymentType": "production"}).json()["results"]
    assert [d["key"] for d in psp] == ["prod-one"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"limit": 501}, "limit"),
        ({"limit": -1}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"offset": 10001}, "offset"),
        ({"sort": "name asc"}, "sort"),
        ({"sort": "createdAt sideways"}, "sort"),
        ({"integrationTypes": "banking"}, "integrationTypes"),
        ({"deploymentType": "staging"}, "deploymentType"),
    ],
)
def test_bad_query_params_are_invalid_query_param(api: Api, params: dict[str, object], name: str) -> None:
    response = api.get(LIST, params=params)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "InvalidQueryParam" and error["detailedErrorMessage"].startswith(f"{name}:")
    assert name in error["message"]


def test_max_values_are_accepted(api: Api) -> None:
    assert api.get(LIST, params={"limit": 500, "offset": 10000}).status_code == 200


def test_projects_are_separate(api: Api) -> None:
    api.create()
    assert api.get("/other/deployments").json()["total"] == 0
