#!/usr/bin/env python3
"""Fails when pgdesk's translations lag behind its sources, naming each string.

Runs lupdate over src/ and forms/ into temporary copies of resources/translations/*.ts (the files
in the tree are left alone), then checks every message:
- German and French: every source text has a finished translation (no type="unfinished"), with
  every plural form filled, and nothing is obsolete or vanished (a translation whose source text
  is gone: remove it, or lupdate -no-obsolete);
- every language, English included: every numerus ("%n") source has its plural forms filled;
- the translation keeps the source's placeholders (%1, %L2, %n, %Ln); a singular plural form may
  leave out the count ("Your unsaved change will be lost too.").

Run by ctest (translations_complete); `tests/translations/check_translations.py [SOURCE_ROOT]
[LUPDATE]` runs it by hand. Updating the files themselves: lupdate -locations none -no-obsolete
src forms -ts resources/translations/pgdesk_de.ts (pgdesk_en.ts with -pluralonly).
"""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

FULL = ("de", "fr")  # languages whose every string must be translated
PLACEHOLDER = re.compile(r"%L?(?:\d+|n)")


def placeholders(text):
    return sorted(set(PLACEHOLDER.findall(text or "")))


def check(path, language, problems):
    root = ElementTree.parse(path).getroot()
    for context in root.iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            kind = translation.get("type") if translation is not None else "unfinished"
            where = f"{path.name}: [{name}] {source!r}"
            if kind in ("obsolete", "vanished"):
                problems.append(f"{where}: obsolete (its source text is gone)")
                continue
            numerus = message.get("numerus") == "yes"
            if language not in FULL and not numerus:
                continue
            forms = [form.text or "" for form in translation.iter("numerusform")] if numerus else [translation.text or ""]
            if kind == "unfinished" or not all(form.strip() for form in forms):
                problems.append(f"{where}: not translated")
                continue
            expected = placeholders(source)
            for index, form in enumerate(forms):
                found = placeholders(form)
                if numerus and index == 0:
                    # The singular may say "one" in words instead of the count.
                    expected_here = [p for p in expected if p not in ("%n", "%Ln")]
                    found = [p for p in found if p not in ("%n", "%Ln")]
                else:
                    expected_here = expected
                if found != expected_here:
                    problems.append(f"{where}: placeholders {found} in {form!r}, the source has {expected_here}")


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2])
    lupdate = sys.argv[2] if len(sys.argv) > 2 else shutil.which("lupdate") or "/usr/lib/qt6/bin/lupdate"
    originals = sorted((root / "resources" / "translations").glob("pgdesk_*.ts"))
    if not originals:
        print("check_translations: no resources/translations/pgdesk_*.ts", file=sys.stderr)
        return 1
    problems = []
    with tempfile.TemporaryDirectory() as temporary:
        for original in originals:
            language = original.stem.split("_", 1)[1]
            copy = pathlib.Path(temporary) / original.name
            shutil.copyfile(original, copy)
            # Without -no-obsolete: a string whose source text is gone stays as "vanished" and fails.
            options = ["-pluralonly"] if language not in FULL else []
            result = subprocess.run([lupdate, "-silent", "-locations", "none", *options, str(root / "src"),
                                     str(root / "forms"), "-ts", str(copy)], capture_output=True, text=True)
            if result.returncode != 0:
                print(result.stdout + result.stderr, file=sys.stderr)
                return 1
            check(copy, language, problems)
    for problem in problems:
        print(problem)
    if problems:
        print(f"check_translations: {len(problems)} problem(s); update resources/translations/ (see the top of "
              f"{pathlib.Path(__file__).name})", file=sys.stderr)
        return 1
    print(f"check_translations: {', '.join(o.name for o in originals)} complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
