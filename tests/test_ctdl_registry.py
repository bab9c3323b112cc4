"""Registry-grade CTDL (issue 27): ``import ctdl`` reads what the Credential Registry
publishes, in every shape it hands out, says what it left out, and never writes a project
``validate`` refuses; ``export ctdl`` writes every property the publishing tool requires,
and ``--check`` checks exactly that list.

Published documents: tests/data/ctdl (Registry_Assistant samples, Apache-2.0, see its
README). Pathways of the shape Credential Engine's examples have (credential components
referenced by URI, basic components, "requires 3 of 4" conditions, a chain of
certifications) are built here by hand: those examples carry no licence.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import credpath
from credpath.publish import ctdl as ctdl_module

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "ctdl"
CURRICULA = ["data-careers", "cybersecurity"]
R = "https://credentialengineregistry.org/resources/"
CONTEXT = "https://credreg.net/ctdl/schema/context/json"

# What the publishing tool marks Required (Registry_Assistant d85a120,
# src/RA.Models/Input/PathwayRequest.cs and CredentialRequest.cs), written out again here
# so that the test does not trust the list it checks.
REQUIRED_BY_RA = {
    "ceterms:Pathway": ["ceterms:ctid", "ceterms:name", "ceterms:description",
                        "ceterms:ownedBy", "ceterms:lifeCycleStatusType"],
    "ceterms:CredentialComponent": ["ceterms:ctid", "ceterms:name", "ceterms:credentialType"],
    "ceterms:JobComponent": ["ceterms:ctid", "ceterms:name"],
    "ceterms:CompetencyComponent": ["ceterms:ctid", "ceterms:name"],
    "ceterms:ComponentCondition": ["ceterms:description"],
    "credential": ["ceterms:ctid", "ceterms:name", "ceterms:description", "ceterms:ownedBy",
                   "ceterms:credentialStatusType", "ceterms:subjectWebpage",
                   "ceterms:inLanguage"],
}  # fmt: skip


def _import(tmp_path: Path, *sources: Path | str, report: bool = True) -> Any:
    args = ["import", "ctdl", *map(str, sources), "-o", str(tmp_path / "p")]
    if report:
        args += ["--report", str(tmp_path / "left-out.txt")]
    return credpath(*args)


def _yaml(tmp_path: Path, name: str) -> Any:
    return yaml.safe_load((tmp_path / "p" / name).read_text(encoding="utf-8"))


def _validates(tmp_path: Path) -> None:
    """The imported project has no error: nothing of the importer's making."""
    checked = credpath("validate", str(tmp_path / "p"))
    assert checked.exit_code == 0, checked.stdout


# -- export: everything the publishing tool requires ------------------------------------------


def _records(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    stack = list(document["@graph"])
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.get("ceterms:hasCondition", []))
    return found


@pytest.mark.parametrize("folder", CURRICULA)
def test_every_exported_record_has_what_the_publishing_tool_requires(folder: str) -> None:
    """lifeCycleStatusType on pathways, credentialType on credential components and a
    description on conditions were missing (61, 4 and 104 records in data-careers)."""
    run = credpath("export", "ctdl", str(ROOT / "curricula" / folder))
    document = json.loads(run.stdout)
    credential_classes = set(ctdl_module.CREDENTIAL_CLASSES)
    seen: set[str] = set()
    for record in _records(document):
        kind = "credential" if record["@type"] in credential_classes else record["@type"]
        for prop in REQUIRED_BY_RA.get(kind, []):
            assert record.get(prop), (record.get("@id"), prop)
        seen.add(kind)
    assert {"ceterms:Pathway", "ceterms:CredentialComponent", "ceterms:ComponentCondition",
            "credential"} <= seen  # fmt: skip
    for pathway in (r for r in document["@graph"] if r["@type"] == "ceterms:Pathway"):
        assert pathway["ceterms:lifeCycleStatusType"]["ceterms:targetNode"] == "lifeCycle:Active"
    assert credpath("export", "ctdl", str(ROOT / "curricula" / folder), "--check").exit_code == 0


@pytest.mark.parametrize(
    ("cls", "prop"),
    [
        ("ceterms:Pathway", "ceterms:lifeCycleStatusType"),
        ("ceterms:CredentialComponent", "ceterms:credentialType"),
        ("ceterms:ComponentCondition", "ceterms:description"),
        ("ceterms:JobComponent", "ceterms:name"),
        ("ceterms:MicroCredential", "ceterms:inLanguage"),
    ],
)
def test_check_catches_a_required_property_the_export_leaves_out(
    cls: str, prop: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--check`` checks the exported document against the Required list: an exporter
    that lost one of them fails the check (it passed the curricula with three missing)."""
    export = ctdl_module.export

    def losing(*args: Any, **kwargs: Any) -> dict[str, Any]:
        document = export(*args, **kwargs)
        for record in _records(document):
            if record["@type"] == cls:
                record.pop(prop, None)
        return document

    monkeypatch.setattr(ctdl_module, "export", losing)
    monkeypatch.chdir(ROOT)
    run = credpath("export", "ctdl", "curricula/data-careers", "--check")
    assert run.exit_code == 1
    assert run.lines
    for line in run.lines:
        assert f"its {cls} in the CTDL export lacks {prop}, which the Credential Registry" in line
        assert line.startswith("curricula/data-careers/")
        assert line.endswith("(credpath writes it: please report this) [ctdl-readiness]")


# -- import: published documents ---------------------------------------------------------------


def test_a_published_credential_in_two_languages_imports_with_what_was_left_out(
    tmp_path: Path,
) -> None:
    run = _import(tmp_path, DATA / "01-CredentialWithMultipleLanguages_Api_output.json")
    assert run.exit_code == 0, run.stderr
    lines = run.stderr.splitlines()
    assert lines[1] == (
        "left out: 2 cost profiles, 1 duration profile, 1 learning opportunity profile given "
        "only as a blank node, 1 owner not in the document"
    )
    assert ": 1 credentials, 0 outcomes, 0 conditions, 0 competencies in;" in lines[0]
    (credential,) = _yaml(tmp_path, "credentials.yaml")["credentials"]
    assert credential["id"] == "bachelor-of-science-in-accounting"  # from the English name
    assert (credential["type"], credential["ctdl_type"]) == ("degree", "BachelorDegree")
    assert credential["ctid"] == "ce-cef8a76d-f168-0513-8fac-0b8dc60ef853"
    assert "provider" not in credential  # its owner is not in the document
    report = (tmp_path / "left-out.txt").read_text(encoding="utf-8").splitlines()
    assert report[0] == (
        f"{DATA / '01-CredentialWithMultipleLanguages_Api_output.json'} "
        '$["@graph"][0]["ceterms:estimatedCost"][0]: cost profile: credpath has no place for it'
    )
    _validates(tmp_path)


def test_a_registry_envelope_with_a_byte_order_mark_imports(tmp_path: Path) -> None:
    source = DATA / "03-AssessmentEnvelope.json"
    assert source.read_bytes().startswith(b"\xef\xbb\xbf")
    run = _import(tmp_path, source)
    assert run.exit_code == 0, run.stderr
    (credential,) = _yaml(tmp_path, "credentials.yaml")["credentials"]
    assert (credential["id"], credential["type"]) == ("health-informatics", "assessment")
    assert "ctid" not in credential  # the assessment's CTID names an assessment, not this
    first = (tmp_path / "left-out.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(f'{source} $["decoded_resource"]["@graph"][0]["ceterms:')
    _validates(tmp_path)
    # the same envelope with decoded_resource as JSON text, and the resource alone
    envelope = json.loads(source.read_bytes().decode("utf-8-sig"))
    resource = envelope["decoded_resource"]
    as_text = tmp_path / "as-text.json"
    as_text.write_text(json.dumps({**envelope, "decoded_resource": json.dumps(resource)}))
    single = tmp_path / "single.json"
    single.write_text(json.dumps({"@context": CONTEXT, **resource["@graph"][0]}))
    for variant in (as_text, single):
        again = _import(tmp_path / variant.stem, variant)
        assert again.exit_code == 0, again.stderr
        assert _yaml(tmp_path / variant.stem, "credentials.yaml") == _yaml(
            tmp_path, "credentials.yaml"
        )


def test_a_folder_of_published_documents_imports_as_one_project(tmp_path: Path) -> None:
    run = _import(tmp_path, DATA)
    assert run.exit_code == 0, run.stderr
    credentials = _yaml(tmp_path, "credentials.yaml")["credentials"]
    assert [c["id"] for c in credentials] == [
        "160-driving-academy",
        "bachelor-of-science-in-accounting",
        "health-informatics",
    ]
    _validates(tmp_path)


# -- import: pathways of the shapes the Registry holds ----------------------------------------


def _badgr_like() -> list[dict[str, Any]]:
    """A pathway as a badge platform publishes it: a destination credential component
    that requires 3 of 4 basic components, each "requires 1 of 2" (or 2 of 3) credential
    components; no credential is in the graph, none has a proxyFor."""
    nodes: list[dict[str, Any]] = []
    basics = []
    for b in range(4):
        count = 2 + b % 2
        badges = [f"{R}ce-00000000-0000-4000-8000-{100 + 10 * b + n:012d}" for n in range(count)]
        for n, uri in enumerate(badges):
            nodes.append(
                {
                    "@id": uri,
                    "@type": "ceterms:CredentialComponent",
                    "ceterms:ctid": uri.removeprefix(R),
                    "ceterms:name": {"en-US": f"Skill {b}.{n}"},
                    "ceterms:credentialType": "https://purl.org/ctdl/terms/DigitalBadge",
                    "ceterms:subjectWebpage": f"https://badges.example/{b}/{n}",
                }
            )
        basic = f"{R}ce-00000000-0000-4000-8000-{200 + b:012d}"
        basics.append(basic)
        needed = 1 if len(badges) == 2 else 2
        nodes.append(
            {
                "@id": basic,
                "@type": "ceterms:BasicComponent",
                "ceterms:ctid": basic.removeprefix(R),
                "ceterms:name": {"en-US": f"Area {b}"},
                "ceterms:hasCondition": [
                    {
                        "@type": "ceterms:ComponentCondition",
                        "ceterms:name": {"en-US": f"Requires {needed} of {len(badges)} items."},
                        "ceterms:requiredNumber": needed,
                        "ceterms:targetComponent": badges,
                    }
                ],
            }
        )
    goal = f"{R}ce-00000000-0000-4000-8000-000000020000"
    pathway = f"{R}ce-00000000-0000-4000-8000-000000030000"
    nodes.append(
        {
            "@id": goal,
            "@type": "ceterms:CredentialComponent",
            "ceterms:ctid": goal.removeprefix(R),
            "ceterms:name": {"en-US": "Marketable Skills"},
            "ceterms:credentialType": "https://purl.org/ctdl/terms/DigitalBadge",
            "ceterms:description": {"en-US": "Skills employers value.", "fr": None},
            "ceterms:hasCondition": [
                {
                    "@type": "ceterms:ComponentCondition",
                    "ceterms:name": {"en-US": "Requires 3 of 4 items."},
                    "ceterms:requiredNumber": 3,
                    "ceterms:targetComponent": basics,
                }
            ],
        }
    )
    nodes.append(
        {
            "@id": pathway,
            "@type": "ceterms:Pathway",
            "ceterms:ctid": pathway.removeprefix(R),
            "ceterms:name": {"en-US": "Marketable Skills"},
            "ceterms:ownedBy": [f"{R}ce-00000000-0000-4000-8000-000000040000"],
            "ceterms:hasDestinationComponent": [goal],
            "ceasn:hasPart": [n["@id"] for n in nodes],
        }
    )
    return nodes


def test_a_pathway_of_components_referenced_by_uri_keeps_every_condition(tmp_path: Path) -> None:
    """It imported as 0 credentials and an outcome requiring nothing, exit 0."""
    source = tmp_path / "badgr.json"
    source.write_text(json.dumps(_badgr_like()), encoding="utf-8")  # a top-level array
    run = _import(tmp_path, source)
    assert run.exit_code == 0, run.stderr
    assert run.stderr.splitlines()[0].endswith(
        "11 credentials, 1 outcomes, 5 conditions, 0 competencies in; credpath validate it"
    )
    assert run.stderr.splitlines()[1] == "left out: 1 owner not in the document"
    (outcome,) = _yaml(tmp_path, "outcomes.yaml")["outcomes"]
    assert outcome["id"] == "marketable-skills-2"  # not the destination credential's id
    assert outcome["requires"] == ["marketable-skills"]
    credentials = {c["id"]: c for c in _yaml(tmp_path, "credentials.yaml")["credentials"]}
    goal = credentials["marketable-skills"]
    assert goal["description"] == "Skills employers value."  # the null French text: absent
    assert goal["requires"] == [
        {"choose": 3, "from": [
            {"any": ["skill-0-0", "skill-0-1"]},
            {"choose": 2, "from": ["skill-1-0", "skill-1-1", "skill-1-2"]},
            {"any": ["skill-2-0", "skill-2-1"]},
            {"choose": 2, "from": ["skill-3-0", "skill-3-1", "skill-3-2"]},
        ]}
    ]  # fmt: skip
    assert goal["type"] == "badge"  # ceterms:credentialType DigitalBadge
    assert credentials["skill-0-0"]["url"] == "https://badges.example/0/0"
    config = (tmp_path / "p" / "credpath.yaml").read_text(encoding="utf-8")
    assert "publisher" not in config  # its owner is not in the document
    _validates(tmp_path)


def test_unprefixed_compacted_and_expanded_documents_import_alike(tmp_path: Path) -> None:
    """A graph with unprefixed terms, or an expanded JSON-LD document, gave "no CTDL
    credential or pathway in it": prefixed keys were matched by hand."""
    from credpath.exchange.jsonld import expand

    nodes = _badgr_like()
    prefixed = tmp_path / "prefixed.json"
    prefixed.write_text(json.dumps({"@context": CONTEXT, "@graph": nodes}))
    unprefixed = tmp_path / "unprefixed.json"
    text = json.dumps({"@context": "http://credreg.net/ctdl/schema/context/json", "@graph": nodes})
    unprefixed.write_text(text.replace('"ceterms:', '"').replace('"ceasn:hasPart', '"hasPart'))
    expanded = tmp_path / "expanded.json"
    expanded.write_text(json.dumps(expand({"@context": CONTEXT, "@graph": nodes})))
    projects = []
    for source in (prefixed, unprefixed, expanded):
        out = tmp_path / source.stem
        run = _import(out, source, report=False)
        assert run.exit_code == 0, run.stderr
        projects.append(
            [(out / "p" / n).read_text().split("\n", 1)[1] for n in ("credentials.yaml",)]
        )
    assert projects[0] == projects[1] == projects[2]


def _comptia_like() -> dict[str, Any]:
    """A chain of certifications (each requires the one below) whose destination is the
    top certification; one CTID is malformed (a digit short, as in a published pathway)."""
    names = ["Cloud", "Server", "Linux", "Network", "A"]
    uris = [f"{R}ce-00000000-0000-4000-8000-00000005{n:04d}" for n in range(len(names))]
    graph: list[dict[str, Any]] = []
    for n, (name, uri) in enumerate(zip(names, uris, strict=True)):
        node: dict[str, Any] = {
            "@id": uri,
            "@type": "ceterms:Certification",
            "ceterms:ctid": uri.removeprefix(R),
            "ceterms:name": {"en-US": f"Cert {name}+"},
        }
        if n + 1 < len(uris):
            node["ceterms:hasCondition"] = [
                {
                    "@type": "ceterms:ComponentCondition",
                    "ceterms:requiredNumber": 1,
                    "ceterms:targetComponent": [uris[n + 1]],
                }
            ]
        graph.append(node)
    graph[2]["ceterms:ctid"] = graph[2]["ceterms:ctid"][:-1]
    pathway = f"{R}ce-00000000-0000-4000-8000-000000060000"
    graph.append(
        {
            "@id": pathway,
            "@type": "ceterms:Pathway",
            "ceterms:ctid": pathway.removeprefix(R),
            "ceterms:name": {"en-US": "Networking Specialist"},
            "ceterms:hasDestinationComponent": uris[0],
            "ceterms:hasPart": uris,
        }
    )
    return {"@context": CONTEXT, "@graph": graph}


def test_a_chain_of_certifications_keeps_its_conditions_and_ids_stay_unique(
    tmp_path: Path,
) -> None:
    """The chain of conditions was lost, and the outcome took the destination credential's
    id (validate: duplicate id); a malformed CTID was copied."""
    source = tmp_path / "chain.json"
    source.write_text(json.dumps(_comptia_like()), encoding="utf-8")
    run = _import(tmp_path, source)
    assert run.exit_code == 0, run.stderr
    assert "5 credentials, 1 outcomes, 4 conditions, 0 competencies in" in run.stderr
    credentials = {c["id"]: c for c in _yaml(tmp_path, "credentials.yaml")["credentials"]}
    assert {k: c.get("requires") for k, c in credentials.items()} == {
        "cert-a": None,
        "cert-cloud": ["cert-server"],
        "cert-linux": ["cert-network"],
        "cert-network": ["cert-a"],
        "cert-server": ["cert-linux"],
    }
    assert "ctid" not in credentials["cert-linux"]
    (outcome,) = _yaml(tmp_path, "outcomes.yaml")["outcomes"]
    assert (outcome["id"], outcome["requires"]) == ("networking-specialist", ["cert-cloud"])
    report = (tmp_path / "left-out.txt").read_text(encoding="utf-8")
    assert report == (
        f'{source} $["@graph"][2]["ceterms:ctid"]: malformed CTID: '
        "'ce-00000000-0000-4000-8000-00000005000' is not ce- and a UUID\n"
    )
    _validates(tmp_path)


def test_a_competency_framework_alone_imports_as_competencies(tmp_path: Path) -> None:
    framework = f"{R}ce-00000000-0000-4000-8000-000000070000"
    competency = f"{R}ce-00000000-0000-4000-8000-000000070001"
    source = tmp_path / "framework.json"
    source.write_text(json.dumps({
        "@context": "https://credreg.net/ctdlasn/schema/context/json",
        "@graph": [
            {"@id": framework, "@type": "ceasn:CompetencyFramework",
             "ceterms:ctid": framework.removeprefix(R), "ceasn:name": {"en": "Welding"},
             "ceasn:hasTopChild": [competency]},
            {"@id": competency, "@type": "ceasn:Competency",
             "ceterms:ctid": competency.removeprefix(R),
             "ceasn:competencyText": {"en": "Weld with an arc", "de": None},
             "ceasn:isPartOf": framework},
        ],
    }))  # fmt: skip
    run = _import(tmp_path, source)
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "p").glob("*.yaml")) == [
        "competencies.yaml",
        "credpath.yaml",
    ]
    assert _yaml(tmp_path, "competencies.yaml")["competencies"] == [
        {"id": "weld-with-an-arc", "title": "Weld with an arc", "ctid": competency.removeprefix(R)}
    ]
    _validates(tmp_path)


def test_an_alignment_outside_the_graph_keeps_its_name_as_a_competency(tmp_path: Path) -> None:
    credential = f"{R}ce-00000000-0000-4000-8000-000000080000"
    source = tmp_path / "aligned.json"
    source.write_text(json.dumps({"@context": CONTEXT, "@graph": [
        {"@id": credential, "@type": "ceterms:Certificate",
         "ceterms:ctid": credential.removeprefix(R), "ceterms:name": {"en": "Welding"},
         "ceterms:requires": [{"@type": "ceterms:ConditionProfile", "ceterms:targetCompetency": [
             {"@type": "ceterms:CredentialAlignmentObject",
              "ceterms:targetNode": "https://frameworks.example/arc",
              "ceterms:frameworkName": {"en": "Welding skills"},
              "ceterms:targetNodeName": {"en": "Arc welding"}}]}]},
    ]}))  # fmt: skip
    run = _import(tmp_path, source)
    assert run.exit_code == 0, run.stderr
    (competency,) = _yaml(tmp_path, "competencies.yaml")["competencies"]
    assert competency == {
        "id": "arc-welding",
        "title": "Arc welding",
        "aligns": [{"framework": "Welding skills", "uri": "https://frameworks.example/arc"}],
    }
    (entry,) = _yaml(tmp_path, "credentials.yaml")["credentials"]
    assert entry["grants"] == ["arc-welding@1"]
    _validates(tmp_path)


def test_several_files_import_as_one_project(tmp_path: Path) -> None:
    document = _comptia_like()
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps({**document, "@graph": document["@graph"][:3]}))
    second.write_text(json.dumps({**document, "@graph": document["@graph"][3:]}))
    run = _import(tmp_path, first, second)
    assert run.exit_code == 0, run.stderr
    assert "5 credentials, 1 outcomes, 4 conditions, 0 competencies in" in run.stderr


def test_no_context_is_ever_fetched(tmp_path: Path) -> None:
    from credpath.exchange.jsonld import ContextRefused, load_document

    assert load_document("http://credreg.net/ctdl/schema/context/json")["document"]
    with pytest.raises(ContextRefused):
        load_document("https://example.org/context.json")
    source = tmp_path / "elsewhere.json"
    source.write_text(json.dumps({"@context": "https://example.org/ctx", "@graph": []}))
    run = _import(tmp_path, source)
    assert (run.exit_code, run.stderr) == (
        2,
        f"credpath: {source}: its @context https://example.org/ctx is not a CTDL context "
        "(credpath reads JSON-LD under the CTDL and CTDL-ASN contexts it ships, and fetches "
        "none)\n",
    )


@pytest.mark.parametrize("folder", CURRICULA)
def test_credpaths_own_export_imports_with_nothing_left_out(folder: str, tmp_path: Path) -> None:
    exported = tmp_path / "first.json"
    assert credpath("export", "ctdl", str(ROOT / "curricula" / folder), "-o", str(exported))
    run = _import(tmp_path, exported)
    assert run.exit_code == 0, run.stderr
    assert len(run.stderr.splitlines()) == 2  # the counts, and where the report went
    assert (tmp_path / "left-out.txt").read_text(encoding="utf-8") == ""
