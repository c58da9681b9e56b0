#!/usr/bin/env python3
"""Feeds hostile JSON requests to `riffle check-request -` and checks how it answers.

Every case must exit 0 (a valid request, printed as JSON on standard output) or 2 (a message on
standard error that names the JSON problem with its line and column, or lists each bad field on a
line of its own). Any other status, a signal, a hang, raw control characters in the message or a
message in another shape is a failure. The cases: deep nesting, huge and odd numbers, bytes that
are not UTF-8, lone surrogates, control characters, duplicate keys, every field with every wrong
type, oversized input, random bytes, and random mutations of valid requests.

    scripts/fuzz/requests.py [RIFFLE] [--cases N] [--seed S] [--time-limit SECONDS] [--jobs J]

RIFFLE defaults to .build/debug/riffle. Runs in a temporary folder with HOME and the XDG folders
pointed into it (no user presets read, nothing written elsewhere), never touches the network,
prints one summary line and exits 1 on any failure (failing inputs are kept and their folder named).
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

from bounded import run_bounded

FIELDS = ["prompt", "duration", "genre", "tempo", "key", "time_signature", "num_variations", "seed",
          "temperature", "top_k", "top_p", "guidance_scale", "sample_rate", "format"]
GOOD = {"prompt": '"dusty lo-fi with rhodes"', "duration": "12", "genre": '"lo-fi"', "tempo": "84", "key": '"F# minor"',
        "time_signature": '"4/4"', "num_variations": "2", "seed": "7", "temperature": "0.9", "top_k": "50",
        "top_p": "0.9", "guidance_scale": "4", "sample_rate": "44100", "format": '"wav"'}
ODD_NUMBERS = ["1e999", "-1e999", "1e-999", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
               "18446744073709551616", "010", "10.", ".5", "+1", "1e", "1e+", "-", "--1", "0x10", "NaN", "Infinity",
               "-Infinity", "1_000", "1.5.3", "1e5e5", "-0", "0e0", "1E400", "123456789012345678901234567890",
               "1" * 400, "0." + "0" * 400 + "1", "4.9e-324", "1.7976931348623157e308", "2.5", "-1", "-2", "1e2"]
WRONG_TYPES = ['"text"', "true", "false", "null", "[]", "[1, 2]", "{}", '{"a": 1}', "0", "-5", "3.5", '""', '" "']


def string(rng, raw=False):
    """A JSON string body: ordinary text, escapes, or hostile bytes."""
    pieces = []
    for _ in range(rng.randint(0, 8)):
        kind = rng.randrange(10)
        if kind == 0:
            pieces.append(bytes([rng.randrange(0x80, 0x100)]))  # a stray byte that is not UTF-8
        elif kind == 1:
            pieces.append(rng.choice([b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\xf0\x9f\x8e"]))
        elif kind == 2:
            pieces.append(rng.choice([b"\\ud800", b"\\udc00", b"\\ud800\\u0041", b"\\udbff\\udfff", b"\\uD83C\\uDFB9",
                                      b"\\u12", b"\\uZZZZ", b"\\u0000", b"\\u001b]0;pwned\\u0007"]))
        elif kind == 3:
            pieces.append(bytes([rng.randrange(0, 0x20)]))  # a raw control character
        elif kind == 4:
            pieces.append(rng.choice([b"\\q", b"\\x41", b"\\", b"\\'"]))
        elif kind == 5:
            pieces.append("\u009b31m \u202e \x7f é 🎹".encode())
        else:
            pieces.append(rng.choice([b"jazz", b"techno 128 bpm", b"Deep House", b"F# minor", b"4/4", b"wav", b" "]))
    body = b"".join(pieces)
    return body if raw else b'"' + body + b'"'


def value(rng, depth=0):
    kind = rng.randrange(9)
    if kind == 0:
        return rng.choice(ODD_NUMBERS).encode()
    if kind == 1:
        return rng.choice(WRONG_TYPES).encode()
    if kind == 2 and depth < 3:
        return b"[" + b", ".join(value(rng, depth + 1) for _ in range(rng.randint(0, 3))) + b"]"
    if kind == 3 and depth < 3:
        key = rng.choice([b'"a"', b'"b"'])
        return b"{" + b", ".join(key + b": " + value(rng, depth + 1) for _ in range(rng.randint(0, 3))) + b"}"
    if kind == 4:
        return string(rng)
    return GOOD[rng.choice(FIELDS)].encode()


def obj(members):
    return b"{" + b", ".join(b'"' + key + b'": ' + val for key, val in members) + b"}"


def deep_nesting(rng):
    depth = rng.choice([63, 64, 65, 100, 512, 513, 1000, 5000, 100000])
    opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
    roll = rng.random()
    # Unclosed runs matter: Foundation's parser died of SIGILL on exactly 513 bare brackets.
    inner = opener * depth if roll < 0.3 else opener * depth + b"1" + closer * (depth if roll < 0.8 else rng.randrange(depth))
    if rng.random() < 0.5:
        return obj([(b"prompt", b'"x"'), (rng.choice(FIELDS).encode(), inner)])
    return inner


def odd_numbers(rng):
    members = [(b"prompt", b'"x"')]
    for _ in range(rng.randint(1, 4)):
        members.append((rng.choice(FIELDS).encode(), rng.choice(ODD_NUMBERS).encode()))
    return obj(members)


def bad_text(rng):
    members = [(rng.choice([b"prompt", b"genre", b"key", b"format", b"time_signature"]), string(rng)) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.3:
        members.append((string(rng, raw=True), b"1"))  # a key with hostile bytes
    return obj(members)


def duplicates(rng):
    field = rng.choice(FIELDS + ["mood"]).encode()
    members = [(b"prompt", b'"x"')] + [(field, value(rng)) for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.3:
        members.append((b"genre", b'{"a": 1, "a": 2}'))
    if rng.random() < 0.1:
        members += [(b"mood", b"1")] * 5000  # many copies of an unknown field
    rng.shuffle(members)
    return obj(members)


def wrong_types(rng):
    members = [(field.encode(), rng.choice(WRONG_TYPES).encode()) for field in rng.sample(FIELDS, rng.randint(1, len(FIELDS)))]
    if rng.random() < 0.3:
        members.append((rng.choice([b"durations", b"bpm", b"", b"PROMPT"]), b"1"))
    return obj(members)


def structure(rng):
    return rng.choice([b"", b" ", b"[1, 2]", b'"prompt"', b"true", b"null", b"{", b"}", b'{"prompt": "x",}', b'{"prompt": "x"} x',
                       b"{'prompt': 'x'}", b'{"prompt" "x"}', b'{"prompt": "x"', b'{"prompt": "x\n', b"prompt = techno",
                       b"\xef\xbb\xbf{\"prompt\": \"bom\"}", b'{"prompt": "x"}\x00', b"\x00", b"{" + b" " * 10000 + b"}",
                       b'{"prompt": "' + b"a" * (1 << 20) + b'"}', b'{"prompt": "' + b"a" * 100000 + b'"}'])


def random_bytes(rng):
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))


def valid(rng):
    members = [(b"prompt", GOOD["prompt"].encode())] + [(f.encode(), GOOD[f].encode()) for f in rng.sample(FIELDS[1:], rng.randint(0, 13))]
    return obj(members)


def mutated(rng):
    data = bytearray(valid(rng))
    for _ in range(rng.randint(1, 6)):
        position = rng.randrange(len(data) + 1)
        action = rng.randrange(3)
        if action == 0 and data:
            del data[min(position, len(data) - 1)]
        elif action == 1:
            data[position:position] = bytes([rng.randrange(256)])
        elif data:
            data[min(position, len(data) - 1)] = rng.randrange(256)
    return bytes(data)


# The reproducers of issue 11, always run first.
KNOWN = [b"[" * 513, b'{"prompt":"x","duration":1e999}', b'{"prompt":"x","seed":9223372036854775808}', b'{"prompt":"x","duration":010}',
         b'{"prompt":"x","duration":10.}', b'{"prompt":"a\xff"}', b'{"prompt":"a\\ud800"}', b'{"prompt":"a\nb"}',
         b'{"duration":7,"duration":1000,"prompt":"x"}', b'{"prompt":"x","genre":"\\u001b]0;pwned\\u0007"}']

GENERATORS = [deep_nesting, odd_numbers, bad_text, duplicates, wrong_types, structure, random_bytes, valid, mutated]
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MALFORMED = re.compile(r"riffle: -: not a JSON object: line \d+, column \d+: \S.*")
INVALID = re.compile(r"riffle: -: invalid request, (\d+) problems?:")
ISSUE = re.compile(r"  - .*: .*\(allowed: .+\)")
OVERSIZED = re.compile(r"riffle: -: the request is larger than \d+ KiB .*")


def strict_json(data):
    """Whether `data` is a JSON object by RFC 8259 with no key twice and every number finite,
    as Python's parser checks it: what riffle may accept."""
    def pairs(items):
        keys = [key for key, _ in items]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key")
        return dict(items)

    def finite(text):
        number = float(text)
        if number in (float("inf"), float("-inf")):
            raise ValueError("out of range")
        return number

    def no_constants(name):
        raise ValueError(name)

    def texts(value):
        if isinstance(value, str):
            value.encode("utf-8")  # a lone surrogate fails here
        elif isinstance(value, dict):
            for key, item in value.items():
                texts(key)
                texts(item)
        elif isinstance(value, list):
            for item in value:
                texts(item)

    try:
        text = data.decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        parsed = json.loads(text, object_pairs_hook=pairs, parse_float=finite, parse_constant=no_constants)
        texts(parsed)
        return isinstance(parsed, dict)
    except (ValueError, RecursionError, UnicodeError):
        return False


def problem(status, out, err, data):
    """What is wrong with how riffle answered `data`; None when the answer is right."""
    if status < 0:
        return f"killed by signal {-status}"
    if status not in (0, 2):
        return f"exit status {status}"
    text = err.decode("utf-8", "replace")
    if CONTROL.search(text):
        return "raw control characters in the message"
    if status == 0:
        try:
            request = json.loads(out)
        except ValueError:
            return "exit 0 without JSON on standard output"
        if not isinstance(request, dict) or "prompt" not in request or text:
            return "exit 0 with an unexpected answer"
        if not strict_json(data):
            return "exit 0 for text that is not strict JSON (a duplicate key, a bad number or bad text)"
        return None
    if out:
        return "exit 2 with output on standard output"
    lines = text.rstrip("\n").split("\n")
    if len(lines) == 1 and (MALFORMED.fullmatch(lines[0]) or OVERSIZED.fullmatch(lines[0])):
        return None
    match = INVALID.fullmatch(lines[0])
    if match and int(match.group(1)) == len(lines) - 1 and all(ISSUE.fullmatch(line) for line in lines[1:]):
        return None
    return "a message in no expected form: " + text[:300]


def run_case(riffle, env, data, timeout):
    try:
        done = subprocess.run([riffle, "check-request", "-"], input=data, capture_output=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "no answer within %d s" % timeout
    return problem(done.returncode, done.stdout, done.stderr, data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("riffle", nargs="?", default=".build/debug/riffle")
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--time-limit", type=float, default=600, help="stop starting cases after this many seconds")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=20, help="seconds one case may take")
    args = parser.parse_args()
    riffle = os.path.abspath(args.riffle)
    if not os.access(riffle, os.X_OK):
        print(f"fuzz requests: {riffle} is not an executable (build first, or give its path)", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    cases = (KNOWN + [GENERATORS[i % len(GENERATORS)](rng) for i in range(args.cases)])[:args.cases]
    work = tempfile.mkdtemp(prefix="riffle-fuzz-requests-")
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "XDG_CONFIG_HOME": work + "/config", "XDG_DATA_HOME": work + "/data",
           "RIFFLE_LIBRARY": work + "/library", "LANG": "C.UTF-8"}
    failures, ran, seconds = run_bounded(cases, lambda data: run_case(riffle, env, data, args.timeout), args.jobs, args.time_limit)
    crashes = sum(1 for _, why in failures if why.startswith("killed"))
    statuses = sum(1 for _, why in failures if why.startswith("exit status"))
    hangs = sum(1 for _, why in failures if why.startswith("no answer"))
    accepted = sum(1 for _, why in failures if why.startswith("exit 0 for"))
    messages = len(failures) - crashes - statuses - hangs - accepted
    stopped = "" if ran == len(cases) else f" (stopped at the {args.time_limit:g} s limit)"
    print(f"fuzz requests: {ran} cases, {crashes} crashes, {statuses} wrong exit statuses, {hangs} hangs, "
          f"{accepted} invalid requests accepted, {messages} bad messages in {seconds:.0f} s{stopped}")
    if not failures:
        shutil.rmtree(work, ignore_errors=True)
        return 0
    kept = os.path.join(work, "failures")
    os.makedirs(kept, exist_ok=True)
    for index, why in sorted(failures)[:50]:
        with open(os.path.join(kept, f"case-{index}.json"), "wb") as handle:
            handle.write(cases[index])
        print(f"  case {index}: {why}", file=sys.stderr)
    print(f"  failing inputs kept in {kept}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
