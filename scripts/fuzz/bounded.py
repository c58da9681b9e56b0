"""Runs fuzz cases on a few threads, stopping new ones at a time limit: shared by the fuzzers."""
import concurrent.futures
import time


def run_bounded(cases, check, jobs, time_limit):
    """Calls check(case) for each case, `jobs` at a time, starting none after `time_limit` seconds.

    check returns None when the case passed, else why it failed. Returns (failures, ran, seconds),
    failures as (index, why) pairs.
    """
    start = time.monotonic()
    failures, ran = [], 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        pending = {}

        def collect(done):
            nonlocal ran
            for future in done:
                ran += 1
                if future.result():
                    failures.append((pending[future], future.result()))
                del pending[future]

        for index, case in enumerate(cases):
            if time.monotonic() - start > time_limit:
                break
            pending[pool.submit(check, case)] = index
            # A short queue, so the time limit is kept.
            if len(pending) >= jobs * 4:
                done, _ = concurrent.futures.wait(pending, return_when=concurrent.futures.FIRST_COMPLETED)
                collect(done)
        collect(list(concurrent.futures.as_completed(pending)))
    return failures, ran, time.monotonic() - start
