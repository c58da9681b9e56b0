#!/usr/bin/env python3
"""Kills riffle with SIGKILL at random moments while a second riffle uses the same library, and checks
that no take is ever lost.

    scripts/fuzz/kill.py [RIFFLE] [--cycles N] [--max-seconds S] [--seed N] [--keep DIR]

RIFFLE defaults to .build/debug/riffle. One library in a temporary folder. Each cycle starts
`riffle generate … --duration 5 --variations 4` (or `riffle resume J` of an unfinished job), starts a
second riffle on the same library a moment later (`list`, `show`, or `resume` of the same or another
job), and kills the first with SIGKILL at a random moment. Once nothing runs, it checks:

  - `riffle list --json` works, and no job is left pending or processing;
  - no `.partial` file is left in the library;
  - every take the library has registered decodes (`riffle info --json`) to its full 5 seconds, and
    no take registered before is gone or damaged ("lost");
  - each riffle exited as it may: killed, 0, or 2 for a refused resume (another Riffle runs the job,
    or it is complete).

At the end every unfinished job is resumed, one at a time, and must end completed with all 4 takes.
Python standard library only. Prints "fuzz kill: N cycles, L takes lost, F failures …" and exits 1 on
any loss or failure.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

TAKES = 4
SECONDS = 5
RATE = 22050
PROMPTS = ["warm rhodes chords", "dusty lo-fi beat", "bright pop with piano", "dark techno 126 bpm", "folk song with guitar"]


class Fuzz:
    def __init__(self, riffle, library, rng):
        self.riffle = riffle
        self.library = library
        self.rng = rng
        self.failures = []
        self.lost = set()
        # Take id -> (path, size, mtime) of every take seen whole.
        self.verified = {}

    def fail(self, message):
        self.failures.append(message)
        print("  " + message, flush=True)

    def command(self, arguments):
        return [self.riffle] + arguments + ["--library", self.library]

    def run(self, arguments, timeout=300):
        try:
            return subprocess.run(self.command(arguments), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail(f"riffle {' '.join(arguments)}: no answer within {timeout} s")
            return None

    def start(self, arguments):
        return subprocess.Popen(self.command(arguments), stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def jobs(self):
        listed = self.run(["list", "--json"])
        if listed is None:
            return []
        if listed.returncode != 0:
            self.fail(f"riffle list exited {listed.returncode}: {listed.stderr.decode(errors='replace').strip()}")
            return []
        return json.loads(listed.stdout)

    @staticmethod
    def complete(entry):
        return entry["job"]["status"] == "completed" and len(entry["takes"]) == TAKES

    def finish(self, process, arguments, may_be_killed, timeout=300):
        """Waits for a riffle and checks how it exited."""
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            self.fail(f"riffle {' '.join(arguments)}: no answer within {timeout} s")
            return
        code = process.returncode
        allowed = {0}
        if arguments[0] == "resume":
            allowed.add(2)
        if may_be_killed:
            allowed.add(-9)
        if code not in allowed:
            self.fail(f"riffle {' '.join(arguments)} exited {code}: {errors.decode(errors='replace').strip()[-400:]}")
        elif code == 2:
            message = errors.decode(errors="replace")
            if "another Riffle (pid" not in message and "is completed" not in message and "already running" not in message:
                self.fail(f"riffle {' '.join(arguments)} refused without saying why: {message.strip()}")

    def cycle(self, number):
        before = self.jobs()
        unfinished = [entry["job"]["id"] for entry in before if not self.complete(entry)]
        if unfinished and self.rng.random() < 0.4:
            target = self.rng.choice(unfinished)
            first = ["resume", target]
        else:
            target = None
            first = ["generate", self.rng.choice(PROMPTS), "--duration", str(SECONDS), "--variations", str(TAKES),
                     "--sample-rate", str(RATE), "--seed", str(self.rng.randrange(1, 2**40))]
        if target:
            second = self.rng.choice([["list", "--json"], ["resume", target], ["show", target, "--json"]])
        elif unfinished and self.rng.random() < 0.4:
            second = ["resume", self.rng.choice(unfinished)]
        else:
            second = ["list", "--json"]
        second_at = self.rng.uniform(0, 1.5)
        kill_at = self.rng.uniform(0.05, 2.5)

        started = time.monotonic()
        process = self.start(first)
        other = None
        for moment in sorted([("second", second_at), ("kill", kill_at)], key=lambda event: event[1]):
            time.sleep(max(0, started + moment[1] - time.monotonic()))
            if moment[0] == "second":
                other = self.start(second)
            elif process.poll() is None:
                process.kill()
        self.finish(process, first, may_be_killed=True)
        self.finish(other, second, may_be_killed=False)
        self.check(f"cycle {number}")

    def check(self, when):
        """Once nothing runs: no job left running, no partial file, every registered take whole."""
        jobs = self.jobs()
        for entry in jobs:
            if entry["job"]["status"] in ("pending", "processing"):
                self.fail(f"{when}: job {entry['job']['id']} is left {entry['job']['status']} with nothing running")
        partials = [os.path.join(folder, name) for folder, _, names in os.walk(self.library) for name in names if ".partial-" in name]
        if partials:
            self.fail(f"{when}: partial files left: {partials}")
        takes = {take["id"]: take["path"] for entry in jobs for take in entry["takes"]}
        for take_id, (path, _, _) in list(self.verified.items()):
            if take_id not in takes and take_id not in self.lost:
                self.lost.add(take_id)
                self.fail(f"{when}: take {take_id} ({path}) is gone from the library")
        unchecked = {}
        for take_id, path in takes.items():
            try:
                stat = os.stat(path)
            except OSError as error:
                if take_id not in self.lost:
                    self.lost.add(take_id)
                    self.fail(f"{when}: take {take_id}'s file {path}: {error.strerror}")
                continue
            if self.verified.get(take_id) != (path, stat.st_size, stat.st_mtime_ns):
                unchecked[take_id] = (path, stat.st_size, stat.st_mtime_ns)
        self.verify(unchecked, when)
        return jobs

    def verify(self, takes, when):
        if not takes:
            return
        paths = [path for path, _, _ in takes.values()]
        info = subprocess.run([self.riffle, "info", "--json"] + paths, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        reports = {report["path"]: report for report in json.loads(info.stdout or b"[]")}
        for take_id, identity in takes.items():
            path = identity[0]
            report = reports.get(path)
            if report is None or report["frames"] != SECONDS * RATE:
                if take_id not in self.lost:
                    self.lost.add(take_id)
                    detail = f"{report['frames']} frames" if report else info.stderr.decode(errors="replace").strip()[-300:]
                    self.fail(f"{when}: take {take_id} is not whole: {detail}")
            else:
                self.verified[take_id] = identity

    def finish_every_job(self):
        for entry in self.jobs():
            if self.complete(entry):
                continue
            job = entry["job"]["id"]
            resumed = self.run(["resume", job])
            if resumed is not None and resumed.returncode != 0:
                self.fail(f"final resume of {job} exited {resumed.returncode}: {resumed.stderr.decode(errors='replace').strip()[-400:]}")
        self.verified.clear()
        jobs = self.check("at the end")
        for entry in jobs:
            if not self.complete(entry):
                self.fail(f"at the end: job {entry['job']['id']} is {entry['job']['status']} with {len(entry['takes'])} of {TAKES} takes")
        return jobs


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("riffle", nargs="?", default=".build/debug/riffle")
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--max-seconds", type=float, default=1200, help="start no cycle after this long (default 1200)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", help="copy the library here when something fails")
    options = parser.parse_args()
    riffle = os.path.abspath(options.riffle)
    if not os.access(riffle, os.X_OK):
        raise SystemExit(f"fuzz kill: {riffle}: no such program (build it first, or name it)")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="riffle-fuzz-kill-") as folder:
        fuzz = Fuzz(riffle, os.path.join(folder, "library"), random.Random(options.seed))
        cycles = 0
        while cycles < options.cycles and time.monotonic() - started < options.max_seconds:
            cycles += 1
            fuzz.cycle(cycles)
        jobs = fuzz.finish_every_job()
        if fuzz.failures and options.keep:
            shutil.copytree(fuzz.library, options.keep, dirs_exist_ok=True)
    takes = sum(len(entry["takes"]) for entry in jobs)
    limit = f" (stopped at the {options.max_seconds:.0f} s limit)" if cycles < options.cycles else ""
    print(f"fuzz kill: {cycles} cycles, {len(fuzz.lost)} takes lost, {len(fuzz.failures)} failures; "
          f"{len(jobs)} jobs and {takes} takes at the end, in {time.monotonic() - started:.0f} s{limit}")
    return 1 if fuzz.failures else 0


if __name__ == "__main__":
    sys.exit(main())
