"""Checks of the addon's files that need no Odoo: manifest, XML, access CSV
and the German translation."""

import ast
import csv
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import polib
import pytest
from lxml import etree

# scripts/test runs a copy of this file outside the checkout (inside, pytest
# would import the addon's __init__.py as a plain package) and names the
# checkout in DV_REPO_DIR.
ROOT = Path(os.environ.get("DV_REPO_DIR") or Path(__file__).resolve().parents[2])
MANIFEST = ast.literal_eval((ROOT / "__manifest__.py").read_text())
XML_FILES = sorted(
    p for p in ROOT.rglob("*.xml") if ".build" not in p.parts and ".git" not in p.parts
)
PO_PATH = ROOT / "i18n" / "de.po"
POT_PATH = ROOT / "i18n" / "dv_case_management.pot"


def test_manifest_shape():
    assert MANIFEST["version"].startswith("18.0.")
    assert MANIFEST["license"] == "AGPL-3"
    assert MANIFEST["application"] is True
    for dependency in ("mail", "calendar", "contacts", "resource", "report_xlsx"):
        assert dependency in MANIFEST["depends"]
    assert "xlsxwriter" in MANIFEST["external_dependencies"]["python"]


@pytest.mark.parametrize("key", ["data", "demo", "assets"])
def test_manifest_files_exist(key):
    entries = MANIFEST.get(key, [])
    if isinstance(entries, dict):
        entries = [
            entry.split("/", 1)[1]
            for bundle in entries.values()
            for entry in bundle
            if isinstance(entry, str)
        ]
    missing = [entry for entry in entries if not (ROOT / entry).is_file()]
    assert not missing, f"files named in the manifest are missing: {missing}"


def test_every_data_file_is_in_the_manifest():
    listed = set(MANIFEST.get("data", [])) | set(MANIFEST.get("demo", []))
    candidates = [
        p.relative_to(ROOT).as_posix()
        for folder in ("views", "security", "data", "demo", "wizards", "reports")
        for p in (ROOT / folder).glob("*")
        if p.suffix in (".xml", ".csv")
    ]
    forgotten = sorted(set(candidates) - listed)
    assert not forgotten, f"data files not loaded by the manifest: {forgotten}"


@pytest.mark.parametrize(
    "path", XML_FILES, ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_xml_parses(path):
    etree.parse(str(path))


def test_access_csv_is_well_formed():
    with open(ROOT / "security" / "ir.model.access.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), "duplicate ids in ir.model.access.csv"
    for row in rows:
        assert row["group_id:id"], f"{row['id']} grants access to everybody"
        for perm in ("perm_read", "perm_write", "perm_create", "perm_unlink"):
            assert row[perm] in ("0", "1")


def test_every_model_has_access_rights():
    declared = set()
    for folder in ("models", "wizards"):
        for path in (ROOT / folder).glob("*.py"):
            for block in path.read_text().split("\nclass ")[1:]:
                if "(models.AbstractModel)" in block.split("\n", 1)[0]:
                    continue
                names = set(re.findall(r'^\s+_name = "([\w.]+)"', block, re.M))
                # An extension that adds a mixin names the model it extends
                # (_name = "calendar.event", _inherit = ["calendar.event", ...]).
                inherit = re.search(
                    r"^\s+_inherit = (\[[^\]]*\]|\"[^\"]*\")", block, re.M
                )
                if inherit:
                    names -= set(re.findall(r'"([\w.]+)"', inherit.group(1)))
                declared.update(names)
    with open(ROOT / "security" / "ir.model.access.csv", newline="") as handle:
        covered = {row["model_id:id"] for row in csv.DictReader(handle)}
    missing = sorted(
        name for name in declared if "model_" + name.replace(".", "_") not in covered
    )
    assert not missing, f"models without access rights: {missing}"


def test_german_translation_parses_and_is_complete():
    po = polib.pofile(str(PO_PATH))
    assert po.metadata.get("Language") == "de"
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"untranslated terms in de.po: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy terms in de.po: {fuzzy[:20]}"


def test_german_translation_covers_the_template():
    pot = polib.pofile(str(POT_PATH))
    po = polib.pofile(str(PO_PATH))
    translated = {entry.msgid for entry in po.translated_entries()}
    missing = [entry.msgid for entry in pot if entry.msgid not in translated]
    assert not missing, f"terms of the template missing in de.po: {missing[:20]}"


def test_german_translation_keeps_placeholders():
    po = polib.pofile(str(PO_PATH))
    pattern = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    wrong = [
        entry.msgid
        for entry in po.translated_entries()
        if sorted(pattern.findall(entry.msgid)) != sorted(pattern.findall(entry.msgstr))
    ]
    assert not wrong, f"placeholders differ between source and translation: {wrong}"


def test_wheel_builds_with_its_dependencies(tmp_path):
    """pip builds the addon as a wheel (whool) that brings report_xlsx along.
    whool names the wheel after the addon's folder, so the build runs on a
    copy of the checkout's files in a folder with the addon's name."""
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    addon = tmp_path / "dv_case_management"
    for name in files:
        if (ROOT / name).is_file():
            (addon / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, addon / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(addon),
        ],
        check=True,
    )
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(metadata_name).decode()
    assert "Name: odoo-addon-dv_case_management" in metadata
    assert "Requires-Dist: odoo-addon-report_xlsx" in metadata
    assert "Requires-Dist: xlsxwriter" in metadata
    assert "odoo/addons/dv_case_management/__manifest__.py" in names


def test_every_test_module_is_registered():
    """Odoo's own test runner (--test-enable) runs only the test modules that
    tests/__init__.py imports; pytest-odoo finds them by their file names."""
    init = (ROOT / "tests" / "__init__.py").read_text()
    registered = set(re.findall(r"^from \. import (test_\w+)$", init, re.M))
    present = {path.stem for path in (ROOT / "tests").glob("test_*.py")}
    assert not present - registered, (
        f"not imported in tests/__init__.py: {sorted(present - registered)}"
    )
