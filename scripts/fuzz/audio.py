#!/usr/bin/env python3
"""Feeds `riffle info` corrupt audio files and checks it answers each one properly.

    scripts/fuzz/audio.py [RIFFLE] [--cases N] [--max-seconds S] [--seed N] [--keep DIR]

RIFFLE defaults to .build/debug/riffle. Source files are made with sox (WAV 8/16/24-bit and float,
FLAC, Ogg Vorbis, MP3 without a length header) and `riffle convert` (WAV, FLAC, Ogg, MP3 with a
Xing header), one to three seconds each, in a temporary folder. Then, up to N cases in all:

  truncations   every file cut inside its header byte by byte, then at points spread over the rest
  bit flips     one to eight random bits of a file flipped
  random bytes  noise, some of it behind a real format's magic number
  header claims sizes, counts, rates and channels set to huge or impossible values

Every run must exit 0 (the file is whole) or 4 (with a message naming the file), never crash or hang;
every truncated file, and every file whose header promises more audio than it holds, must be an
error. The one exception is a cut exactly between two frames of an MP3 without a length header,
which leaves a shorter but whole stream. Prints a summary line and exits 1 on any failure.
"""

import argparse
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time

EXPECT_ERROR = "error"  # must exit 4
EXPECT_EITHER = "either"  # 0 or 4


def run(command, **kwargs):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def make_sources(riffle, folder):
    """Whole files in every format, with the MP3s' frame boundaries when they have no length header."""
    sources = []
    if shutil.which("sox"):
        variants = [
            ("sox-8bit.wav", ["-b", "8"], 22050, 1),
            ("sox-16bit.wav", ["-b", "16"], 22050, 1),
            ("sox-24bit.wav", ["-b", "24"], 22050, 1),
            ("sox-float.wav", ["-e", "floating-point", "-b", "32"], 22050, 1),
            ("sox-16bit.flac", ["-b", "16"], 22050, 1),
            ("sox-24bit.flac", ["-b", "24"], 44100, 1),
            ("sox.ogg", [], 44100, 3),
            ("sox.mp3", [], 44100, 2),
        ]
        for name, options, rate, seconds in variants:
            path = os.path.join(folder, name)
            made = run(["sox", "-n", "-r", str(rate), "-c", "2"] + options + [path, "synth", str(seconds), "sine", "300-900"])
            if made.returncode == 0:
                sources.append(path)
    base = os.path.join(folder, "base.wav")
    if not os.path.exists(os.path.join(folder, "sox-16bit.wav")):
        write_tone_wav(base, 22050, 1.0)
    else:
        shutil.copy(os.path.join(folder, "sox-16bit.wav"), base)
    for name, options in [("riffle-24bit.wav", []), ("riffle-16bit.flac", ["--bit-depth", "16"]),
                          ("riffle-24bit.flac", []), ("riffle.ogg", []), ("riffle.mp3", [])]:
        path = os.path.join(folder, name)
        made = run([riffle, "convert", base, path] + options)
        if made.returncode != 0:
            raise SystemExit(f"fuzz audio: cannot make {name}: {made.stderr.decode(errors='replace')}")
        sources.append(path)
    return sources


def write_tone_wav(path, rate, seconds):
    import math
    frames = int(rate * seconds)
    data = b"".join(struct.pack("<hh", int(8000 * math.sin(i / 10)), int(8000 * math.sin(i / 13))) for i in range(frames))
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 2, rate, rate * 4, 4, 16)
    with open(path, "wb") as file:
        file.write(header + b"data" + struct.pack("<I", len(data)) + data)


# MPEG audio frames (ISO 11172-3 / 13818-3), walked here independently of Riffle's reader.
BITRATES = {
    (1, 1): [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    (1, 2): [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    (1, 3): [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    (2, 1): [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    (2, 2): [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    (2, 3): [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}


def mpeg_frame_length(data, offset):
    if offset + 4 > len(data) or data[offset] != 0xFF or data[offset + 1] & 0xE0 != 0xE0:
        return None
    version_bits, layer_bits = (data[offset + 1] >> 3) & 3, (data[offset + 1] >> 1) & 3
    bitrate_index, rate_index = data[offset + 2] >> 4, (data[offset + 2] >> 2) & 3
    if version_bits == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    version, layer = (1 if version_bits == 3 else 2), 4 - layer_bits
    bitrate = BITRATES[(version, layer)][bitrate_index - 1] * 1000
    rate = [44100, 48000, 32000][rate_index] // {3: 1, 2: 2, 0: 4}[version_bits]
    padding = (data[offset + 2] >> 1) & 1
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4
    if layer == 3 and version == 2:
        return 72 * bitrate // rate + padding
    return 144 * bitrate // rate + padding


def mp3_frame_boundaries(data):
    """Offsets where a frame ends, for an MP3 without a Xing/Info/VBRI header; None when it has one."""
    offset = 0
    if data[:3] == b"ID3":
        size = 0
        for byte in data[6:10]:
            size = (size << 7) | (byte & 0x7F)
        offset = 10 + size + (10 if data[5] & 0x10 else 0)
    while offset < len(data) and mpeg_frame_length(data, offset) is None:
        offset += 1
    first = data[offset:offset + 200]
    if b"Xing" in first or b"Info" in first or b"VBRI" in first:
        return None
    boundaries = set()
    while True:
        length = mpeg_frame_length(data, offset)
        if length is None or offset + length > len(data):
            return boundaries
        offset += length
        boundaries.add(offset)


def truncations(path, rng):
    data = open(path, "rb").read()
    boundaries = mp3_frame_boundaries(data) if path.endswith(".mp3") else None
    cuts = sorted(set(list(range(0, min(len(data), 80))) + [rng.randrange(80, len(data)) for _ in range(28)] + [len(data) - 1]))
    for cut in cuts:
        whole_shorter_stream = boundaries is not None and cut in boundaries
        yield f"cut to {cut} of {len(data)} bytes", data[:cut], EXPECT_EITHER if whole_shorter_stream else EXPECT_ERROR


def bit_flips(path, rng, count):
    data = open(path, "rb").read()
    for _ in range(count):
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(flipped))
            flipped[position] ^= 1 << rng.randrange(8)
        yield "bits flipped", bytes(flipped), EXPECT_EITHER


def random_bytes(rng, count):
    magics = [b"", b"RIFF\xff\xff\xff\x7fWAVEfmt ", b"fLaC\x00\x00\x00\x22", b"OggS\x00\x02", b"ID3\x04\x00\x00\x00\x00\x00\x00",
              b"\xff\xfb\x90\x64"]
    for index in range(count):
        body = bytes(rng.getrandbits(8) for _ in range(rng.choice([1, 7, 44, 300, 5000, 40000])))
        yield "random bytes", magics[index % len(magics)] + body, EXPECT_EITHER


def header_claims(sources):
    """Files whose header says something huge or impossible. Claims of more audio than there is must be errors."""
    for path in sources:
        data = bytearray(open(path, "rb").read())
        name = os.path.basename(path)
        if data[:4] == b"RIFF":
            data_at = data.find(b"data")
            fmt_at = data.find(b"fmt ")
            for label, offset, value, expect in [
                ("data chunk claims 0xFFFFFFF0 bytes", data_at + 4, 0xFFFFFFF0, EXPECT_ERROR),
                ("data chunk claims one frame more", data_at + 4, None, EXPECT_ERROR),
                ("RIFF claims 0x7FFFFFF0 bytes", 4, 0x7FFFFFF0, EXPECT_ERROR),
                ("sample rate 0", fmt_at + 12, 0, EXPECT_EITHER),
                ("sample rate 4294967295", fmt_at + 12, 0xFFFFFFFF, EXPECT_EITHER),
                ("block align 0", fmt_at + 20, None, EXPECT_EITHER),
            ]:
                claimed = bytearray(data)
                if label == "data chunk claims one frame more":
                    block = struct.unpack_from("<H", data, fmt_at + 20)[0]
                    struct.pack_into("<I", claimed, offset, struct.unpack_from("<I", data, offset)[0] + block)
                elif label == "block align 0":
                    struct.pack_into("<H", claimed, fmt_at + 20, 0)
                else:
                    struct.pack_into("<I", claimed, offset, value)
                yield f"{name}: {label}", bytes(claimed), expect
            for channels in (0, 1024, 65535):
                claimed = bytearray(data)
                struct.pack_into("<H", claimed, fmt_at + 10, channels)
                yield f"{name}: {channels} channels", bytes(claimed), EXPECT_EITHER
        elif data[:4] == b"fLaC":
            # STREAMINFO: sample rate (20 bits) from byte 18, channels (3) and bits (5), then 36 bits of samples.
            for label, change, expect in [
                ("STREAMINFO claims 2^36-1 samples", lambda d: (d.__setitem__(21, d[21] | 0x0F), d.__setitem__(slice(22, 26), b"\xff" * 4)), EXPECT_ERROR),
                ("STREAMINFO claims twice the samples", None, EXPECT_ERROR),
                ("sample rate 0", lambda d: (d.__setitem__(18, 0), d.__setitem__(19, 0), d.__setitem__(20, d[20] & 0x0F)), EXPECT_EITHER),
                ("8 channels", lambda d: d.__setitem__(20, d[20] | 0x0E), EXPECT_EITHER),
            ]:
                claimed = bytearray(data)
                if change is None:
                    samples = ((claimed[21] & 0x0F) << 32) | struct.unpack_from(">I", claimed, 22)[0]
                    samples *= 2
                    claimed[21] = (claimed[21] & 0xF0) | ((samples >> 32) & 0x0F)
                    struct.pack_into(">I", claimed, 22, samples & 0xFFFFFFFF)
                else:
                    change(claimed)
                yield f"{name}: {label}", bytes(claimed), expect
        elif data[:4] == b"OggS":
            # The last page's granule position (its sample count): huge. Its checksum no longer matches.
            last = data.rfind(b"OggS")
            claimed = bytearray(data)
            struct.pack_into("<q", claimed, last + 6, 2**62)
            yield f"{name}: last granule 2^62", bytes(claimed), EXPECT_EITHER
        else:
            at = data.find(b"Xing")
            if at < 0:
                at = data.find(b"Info")
            if at >= 0 and data[at + 7] & 1:
                claimed = bytearray(data)
                struct.pack_into(">I", claimed, at + 8, 0x0FFFFFFF)
                yield f"{name}: Xing header claims 0x0FFFFFFF frames", bytes(claimed), EXPECT_ERROR


def check(riffle, path, expect, timeout):
    """None when `riffle info` answered as it must, else why not."""
    try:
        done = run([riffle, "info", path], timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"no answer within {timeout} s"
    errors = done.stderr.decode(errors="replace")
    if done.returncode < 0:
        return f"killed by signal {-done.returncode}: {errors.strip()[-300:]}"
    if done.returncode not in (0, 4):
        return f"exit {done.returncode}: {errors.strip()[-300:]}"
    if done.returncode == 4 and f"riffle: {path}:" not in errors:
        return f"exit 4 without naming the file: {errors.strip()[-300:]}"
    if expect == EXPECT_ERROR and done.returncode == 0:
        return f"read as whole: {done.stdout.decode(errors='replace').strip()}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("riffle", nargs="?", default=".build/debug/riffle")
    parser.add_argument("--cases", type=int, default=1200, help="at most this many files (default 1200)")
    parser.add_argument("--max-seconds", type=float, default=900, help="stop after this long (default 900)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", help="copy the files that failed here")
    options = parser.parse_args()
    riffle = os.path.abspath(options.riffle)
    if not os.access(riffle, os.X_OK):
        raise SystemExit(f"fuzz audio: {riffle}: no such program (build it first, or name it)")
    rng = random.Random(options.seed)
    started = time.monotonic()
    counts, failures = {}, []
    with tempfile.TemporaryDirectory(prefix="riffle-fuzz-audio-") as folder:
        sources = make_sources(riffle, folder)
        cases = [("header claim", path) + case for path in sources for case in header_claims([path])]
        cases += [("random bytes", "noise") + case for case in random_bytes(rng, 60)]
        cases += [("bit flip", path) + case for path in sources for case in bit_flips(path, rng, 20)]
        cuts = [("truncation", path) + case for path in sources for case in truncations(path, rng)]
        # Every other kind runs; truncations fill the rest, a fair share of each file's.
        cases += rng.sample(cuts, max(0, min(len(cuts), options.cases - len(cases))))
        cases = cases[:options.cases]
        rng.shuffle(cases)
        stopped = False
        for index, (kind, source, what, data, expect) in enumerate(cases):
            if time.monotonic() - started > options.max_seconds:
                stopped = True
                break
            extension = os.path.splitext(source)[1] or ".wav"
            path = os.path.join(folder, f"case-{index}{extension}")
            with open(path, "wb") as file:
                file.write(data)
            counts[kind] = counts.get(kind, 0) + 1
            problem = check(riffle, path, expect, timeout=30)
            if problem:
                failures.append(f"{kind} of {os.path.basename(source)} ({what}): {problem}")
                if options.keep:
                    os.makedirs(options.keep, exist_ok=True)
                    shutil.copy(path, options.keep)
            os.remove(path)
    ran = sum(counts.values())
    for failure in failures[:30]:
        print("  " + failure)
    parts = ", ".join(f"{count} {kind}s" if not kind.endswith("s") else f"{count} {kind}" for kind, count in sorted(counts.items()))
    limit = f" (stopped at the {options.max_seconds:.0f} s limit)" if stopped else ""
    print(f"fuzz audio: {ran} cases ({parts}) from {len(sources)} files, {len(failures)} failures in {time.monotonic() - started:.0f} s{limit}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
