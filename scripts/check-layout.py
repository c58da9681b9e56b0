#!/usr/bin/env python3
"""Checks that Package.swift and the sources keep the module map of ARCHITECTURE.md.

  riffle → {RiffleTUI → RiffleStudio} → RiffleApp → RiffleEngine → RiffleCore
  engines → {RiffleEngine, RiffleAudio}; only the executable names a concrete engine;
  only adapter modules import C.

Run by `make test`; exits 1 naming every rule broken.
"""
import json
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# Module → what its dependency closure must not reach.
FORBIDDEN = {
    "RiffleCore": {"RiffleEngine", "RiffleAudio", "RiffleApp", "GRDB"},
    "RiffleEngine": {"RiffleAudio", "RiffleApp", "RiffleComposer", "CSndfile", "CALSA", "CFluidSynth", "CNcursesw"},
    "RiffleApp": {"RiffleComposer", "RiffleStudio", "RiffleTUI", "CFluidSynth", "CNcursesw"},
    "RiffleStudio": {"RiffleComposer", "RiffleTUI", "CFluidSynth", "CNcursesw"},
    "RiffleTUI": {"RiffleComposer", "CFluidSynth"},
    "RiffleComposer": {"RiffleApp", "RiffleStudio", "RiffleTUI", "CNcursesw"},
    "RiffleMusicGen": {"RiffleApp", "RiffleStudio", "RiffleTUI", "RiffleComposer", "CNcursesw", "CFluidSynth", "CMusicGenBench"},
    # The server is a front end over RiffleApp like the studio: no concrete engine, no terminal.
    "RiffleServer": {"RiffleComposer", "RiffleMusicGen", "RiffleStudio", "RiffleTUI", "CFluidSynth", "CNcursesw"},
    "RiffleAppTests": {"RiffleComposer", "CFluidSynth", "CNcursesw"},
    "RiffleStudioTests": {"RiffleComposer", "CFluidSynth", "CNcursesw"},
}

# `import X` is allowed only under these folders.
IMPORTS = {
    "RiffleComposer": ["Sources/RiffleComposer", "Sources/riffle/", "Sources/riffle-bench", "Tests/RiffleComposerTests"],
    "RiffleMusicGen": ["Sources/RiffleMusicGen", "Sources/riffle/", "Sources/riffle-bench", "Tests/RiffleMusicGenTests"],
    "CNcursesw": ["Sources/RiffleTUI/Terminal", "Sources/CNcursesw"],
    "CFluidSynth": ["Sources/RiffleComposer/Render"],
    "CSentencePiece": ["Sources/RiffleMusicGen/Text"],
    "COpenBLAS": ["Sources/RiffleMusicGen/Math"],
    "CMusicGenKernels": ["Sources/RiffleMusicGen/Math", "Sources/riffle-bench"],
    "CMusicGenBench": ["Sources/riffle-bench"],
    "GRDB": ["Sources/RiffleApp/Library", "Tests/RiffleAppTests"],
    "Hummingbird": ["Sources/RiffleServer"],
}


def closure(targets, name):
    seen, stack = set(), [name]
    while stack:
        for dependency in targets.get(stack.pop(), []):
            if dependency not in seen:
                seen.add(dependency)
                stack.append(dependency)
    return seen


def main():
    dump = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True,
                                     capture_output=True, text=True).stdout)
    targets = {}
    for target in dump["targets"]:
        names = []
        for dependency in target["dependencies"]:
            kind, value = next(iter(dependency.items()))
            names.append(value[0])
        targets[target["name"]] = names
    problems = []
    for module, banned in FORBIDDEN.items():
        if module not in targets:
            problems.append(f"{module}: no such target in Package.swift")
            continue
        reached = closure(targets, module) & banned
        if reached:
            problems.append(f"{module} depends on {', '.join(sorted(reached))}")
    for path in sorted(ROOT.glob("Sources/**/*.swift")) + sorted(ROOT.glob("Tests/**/*.swift")):
        relative = path.relative_to(ROOT).as_posix()
        for module in re.findall(r"^\s*(?:@testable\s+)?import\s+(\w+)", path.read_text(), re.M):
            allowed = IMPORTS.get(module)
            if allowed is not None and not any(relative.startswith(place) for place in allowed):
                problems.append(f"{relative} imports {module} (allowed only in {', '.join(allowed)})")
    for problem in problems:
        print(f"layout: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
