#!/usr/bin/env python3
"""Feeds hostile option lines to riffle's commands and checks how they answer.

Each case runs one command (generate, batch, grid, interpret, convert, waveform, export, the edits,
show, rate, pick, delete, play) with random hostile values: negative, huge, hex, nan and inf
numbers, empty strings, control characters and escape sequences, long text, missing values,
unknown options, and file paths that are FIFOs, dangling links, folders or under a file. Nothing
may crash, hang, print raw control characters or an NSError dump, or exit with a status the
command does not use (2 bad input, 3 unknown id, 4 file problem; 0 only where the case can be
valid). Commands that would generate always get an invalid value last, so no case makes audio.

    scripts/fuzz/options.py [RIFFLE] [--cases N] [--seed S] [--time-limit SECONDS] [--jobs J]

RIFFLE defaults to .build/debug/riffle. Everything happens in a temporary folder (the library,
the files, HOME and the XDG folders); no network, no real devices. Prints one summary line and
exits 1 on any failure.
"""
import argparse
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

from bounded import run_bounded
import wave

NUMBERS = ["-1", "-5", "0", "1", "5", "30", "300", "301", "1e3", "1e400", "-1e400", "0x10", "nan", "inf", "-inf", "NaN",
           "1_000", "", " ", "1.5", "2.5", ".5", "5.", "+5", "--5", "9223372036854775807", "9223372036854775808",
           "-9223372036854775809", "١٢", "12abc", "1e", "０", "1" * 300]
TEXTS = ["", " ", "jazz", "Jazz!", "house.", "lo-fi", "drum and bass", "\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "\u009b31m",
         "a\nb", "a\rb", "\u202eevil", "x" * 3000, "é🎹", "H", "F# minor", "Bb", "9/8", "4/4", "wav", "aac", "flac", "-",
         "--", "--json", "-1"]
GENERATE_OPTIONS = {"--duration": NUMBERS, "--variations": NUMBERS, "--seed": NUMBERS, "--temperature": NUMBERS,
                    "--top-k": NUMBERS, "--top-p": NUMBERS, "--guidance": NUMBERS, "--sample-rate": NUMBERS + ["22050", "48000"],
                    "--tempo": NUMBERS, "--format": TEXTS, "--genre": TEXTS, "--key": TEXTS, "--time-signature": TEXTS}
FLAGS = ["--stems", "--no-midi", "--json", "--force", "--bogus", "-x", "--", "--duration"]
# Always last for commands that would generate: invalid in any reading, so the run stops before any audio.
SENTINELS = [["--variations", "0"], ["--duration", "0x10"], ["--temperature", "nan"], ["--format", "aiff"], ["--top-k", "-1"]]
ID = re.compile(r"j[0-9a-f]{8}(-\d+)?")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def tone(path):
    """A tenth of a second of a quiet 440 Hz tone as 16-bit stereo WAV."""
    with wave.open(path, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(8000)
        frames = b"".join(struct.pack("<hh", int(3000 * ((i * 440 // 8000) % 2 * 2 - 1)), 0) for i in range(800))
        out.writeframes(frames)


def places(work):
    """Output paths of every awkward kind, made once in the work folder."""
    fifo = os.path.join(work, "pipe.wav")
    os.mkfifo(fifo)
    os.symlink(os.path.join(work, "gone", "x.wav"), os.path.join(work, "dangling.wav"))
    os.symlink(fifo, os.path.join(work, "to-pipe.wav"))
    os.makedirs(os.path.join(work, "folder.wav"))
    with open(os.path.join(work, "file.txt"), "w") as handle:
        handle.write("x")
    return [fifo, os.path.join(work, "dangling.wav"), os.path.join(work, "to-pipe.wav"), os.path.join(work, "folder.wav"),
            os.path.join(work, "file.txt", "under.wav"), os.path.join(work, "out", "ok.flac"), os.path.join(work, "ok.mp3"),
            "", os.path.join(work, "x" * 300 + ".wav"), os.path.join(work, "\x1b]0;t\x07.wav"), os.path.join(work, "out.aiff")]


def hostile_options(rng, table, count):
    args = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.8:
            option = rng.choice(list(table))
            args += [option, rng.choice(table[option])]
        elif roll < 0.9:
            args.append(rng.choice(FLAGS))
        else:
            args.append(rng.choice(list(table)))  # an option with its value missing, or taking the next word
    return args


def case(rng, work, tone_path, targets):
    """One command line and the exit statuses it may end with."""
    library = ["--library", os.path.join(work, "library")]
    kind = rng.randrange(12)
    some = rng.randint(0, 6)
    if kind < 3:
        command = rng.choice(["generate", "batch", "grid"])
        if command == "generate":
            head = ["generate", rng.choice(TEXTS + ["lo-fi 80 bpm"])]
        elif command == "batch":
            prompts = os.path.join(work, f"prompts-{rng.randrange(1 << 30)}.txt")
            with open(prompts, "w", encoding="utf-8", errors="surrogateescape") as handle:
                handle.write("\n".join(rng.choice(TEXTS) for _ in range(rng.randint(0, 4))))
            head = ["batch", prompts]
        else:
            vary = rng.choice(["tempo=120,-5", "key=H,Bb", "mood=dark,bright", "genre=Jazz!,house", "tempo", "=", "tempo=0x10",
                               "time-signature=9/8", ""])
            head = ["grid", rng.choice(TEXTS), "--vary", vary]
        args = head + ["--duration", "5", "--variations", "1"] + hostile_options(rng, GENERATE_OPTIONS, some)
        if rng.random() < 0.3:
            args += ["--out", rng.choice(targets)]
        return args + library + rng.choice(SENTINELS), {2, 4}
    if kind == 3:
        table = {k: GENERATE_OPTIONS[k] for k in ["--tempo", "--genre", "--key", "--time-signature"]}
        return ["interpret", rng.choice(TEXTS + ["folk waltz"])] + hostile_options(rng, table, some), {0, 2}
    if kind == 4:
        table = {"--format": TEXTS, "--sample-rate": NUMBERS + ["44100"], "--bit-depth": NUMBERS + ["16", "24"], "--quality": NUMBERS}
        source = rng.choice([tone_path, tone_path, os.path.join(work, "missing.wav"), targets[0], os.path.join(work, "file.txt")])
        # A FIFO as the input would wait for a writer; only outputs get the awkward kinds.
        if source == targets[0]:
            source = tone_path
        return ["convert", source, rng.choice(targets)] + hostile_options(rng, table, some), {0, 2, 4}
    if kind == 5:
        table = {"--width": NUMBERS, "--height": NUMBERS, "--style": TEXTS + ["blocks", "ascii"]}
        return ["waveform", rng.choice([tone_path, os.path.join(work, "missing.wav")])] + hostile_options(rng, table, some), {0, 2, 4}
    take = rng.choice(["j00000000-1", "", "\x1b]0;x\x07", "j" * 500, "-1", "j12345678"])
    if kind == 6:
        table = {"--format": TEXTS, "--out": targets}
        return ["export", take, "--out", rng.choice(targets)] + hostile_options(rng, table, some) + library, {2, 3, 4}
    if kind in (7, 8):
        edit = rng.choice([["extend", take, "--seconds", rng.choice(NUMBERS)],
                           ["repaint", take, "--from", rng.choice(NUMBERS), "--to", rng.choice(NUMBERS)],
                           ["restyle", take, "--genre", rng.choice(TEXTS)]])
        table = {"--seed": NUMBERS, "--soundfont": [os.path.join(work, "file.txt"), "", os.path.join(work, "missing.sf2")]}
        return edit + hostile_options(rng, table, some) + library, {2, 3, 4}
    if kind == 9:
        return ["rate", take, rng.choice(NUMBERS)] + library, {2, 3}
    if kind == 10:
        return [rng.choice(["show", "pick", "delete"]), take] + library + rng.choice([[], ["--json"], ["--bogus"]]), {2, 3}
    return ["play", take, "--device", rng.choice(TEXTS)] + library, {2, 3, 4}


def problem(status, err, allowed):
    if status < 0:
        return f"killed by signal {-status}"
    if status not in allowed:
        return f"exit status {status}"
    text = err.decode("utf-8", "replace")
    if CONTROL.search(text):
        return "raw control characters in the message"
    if "Error Domain=" in text or "Fatal error" in text:
        return "an NSError dump or a Swift fatal error in the message"
    if status != 0 and not text.strip():
        return f"exit {status} without a message"
    return None


def run_case(riffle, env, args, allowed, timeout):
    try:
        done = subprocess.run([riffle] + args, stdin=subprocess.DEVNULL, capture_output=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "no answer within %d s" % timeout
    return problem(done.returncode, done.stderr, allowed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("riffle", nargs="?", default=".build/debug/riffle")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--time-limit", type=float, default=600, help="stop starting cases after this many seconds")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30, help="seconds one case may take")
    args = parser.parse_args()
    riffle = os.path.abspath(args.riffle)
    if not os.access(riffle, os.X_OK):
        print(f"fuzz options: {riffle} is not an executable (build first, or give its path)", file=sys.stderr)
        return 2
    work = tempfile.mkdtemp(prefix="riffle-fuzz-options-")
    tone_path = os.path.join(work, "tone.wav")
    tone(tone_path)
    targets = places(work)
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "XDG_CONFIG_HOME": work + "/config", "XDG_DATA_HOME": work + "/data",
           "RIFFLE_LIBRARY": work + "/library", "LANG": "C.UTF-8", "COLUMNS": "80"}
    rng = random.Random(args.seed)
    cases = [case(rng, work, tone_path, targets) for _ in range(args.cases)]
    failures, ran, seconds = run_bounded(cases, lambda case: run_case(riffle, env, case[0], case[1], args.timeout),
                                         args.jobs, args.time_limit)
    crashes = sum(1 for _, why in failures if why.startswith("killed"))
    statuses = sum(1 for _, why in failures if why.startswith("exit status"))
    hangs = sum(1 for _, why in failures if why.startswith("no answer"))
    messages = len(failures) - crashes - statuses - hangs
    # Nothing may have generated: the library holds no takes.
    takes = os.path.join(work, "library", "takes")
    made = sum(len(files) for _, _, files in os.walk(takes)) if os.path.isdir(takes) else 0
    stopped = "" if ran == len(cases) else f" (stopped at the {args.time_limit:g} s limit)"
    print(f"fuzz options: {ran} cases, {crashes} crashes, {statuses} wrong exit statuses, {hangs} hangs, "
          f"{messages} bad messages, {made} files generated in {seconds:.0f} s{stopped}")
    if not failures and made == 0:
        shutil.rmtree(work, ignore_errors=True)
        return 0
    for index, why in sorted(failures)[:50]:
        print(f"  case {index}: {why}: riffle {' '.join(repr(a) for a in cases[index][0])[:400]}", file=sys.stderr)
    print(f"  work folder kept: {work}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
