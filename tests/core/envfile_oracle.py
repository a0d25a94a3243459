#!/usr/bin/env python3
"""Reads every file in a folder with python-dotenv's dotenv_values(), the reference for
tst_envfile_oracle, and prints one JSON object: {"version": ..., "files": {name: result}}.

A result holds "values" ([key, value] pairs in dotenv_values()'s order, value null for a
"KEY" line without '=') and "tags": which of the deliberate differences listed in
envfile-differences.txt the file can show, decided with python-dotenv's own parser.
"""
import io
import json
import logging
import os
import re
import sys

import dotenv
from dotenv.parser import parse_stream

try:
    from dotenv.version import __version__ as version
except ImportError:
    version = "unknown"


def tags_of(raw, text):
    tags = set()
    if raw.startswith(b"\xef\xbb\xbf"):
        tags.add("bom")
    if text is None:
        tags.add("invalid-utf8")
        return tags
    bare_keys = set()  # keys whose latest line has no '='
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            tags.add("malformed")
        if binding.key is None:
            continue
        if "\0" in binding.key or (binding.value is not None and "\0" in binding.value):
            tags.add("nul")
        if binding.value is None:
            bare_keys.add(binding.key)
            continue
        if any(name in bare_keys for name in re.findall(r"\$\{([^}:]*)", binding.value)):
            tags.add("bare-key-reference")
        bare_keys.discard(binding.key)
    return tags


def main():
    logging.disable(logging.CRITICAL)  # python-dotenv warns about every malformed line
    folder = sys.argv[1]
    files = {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        with open(path, "rb") as stream:
            raw = stream.read()
        try:
            # Text mode, as python-dotenv opens the file: universal newlines.
            with open(path, encoding="utf-8") as stream:
                text = stream.read()
        except UnicodeDecodeError:
            text = None
        result = {"tags": sorted(tags_of(raw, text))}
        if text is not None:
            # A NUL in a value expands into later values too.
            values = list(dotenv.dotenv_values(path).items())
            if any("\0" in key or (value is not None and "\0" in value) for key, value in values):
                result["tags"] = sorted(set(result["tags"]) | {"nul"})
            result["values"] = values
        files[name] = result
    json.dump({"version": version, "files": files}, sys.stdout)


if __name__ == "__main__":
    main()
