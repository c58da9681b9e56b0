#!/usr/bin/env python3
"""PyTorch's side of `riffle-bench musicgen`: transformers' MusicgenForConditionalGeneration with musicgen-small's
config and random weights (nothing downloaded), its decoder stepped with a key/value cache for the guidance batch
of 2 rows (conditional and unconditional, as generate() does with guidance_scale > 1), on 2 threads.

    /tmp/mgvenv/bin/python scripts/musicgen/bench_pytorch.py [--steps 500] [--threads 2] [--text-length 16]

Prints steps per second (over all steps but the first 4, and over the first and last 32), seconds per second of
audio (50 steps a second), load time, the decoder's weights, and the process's peak memory (ru_maxrss, which
holds the whole model: text encoder and codec too).
"""
import argparse
import resource
import sys
import time
import warnings

import torch
from transformers import (EncodecConfig, MusicgenConfig, MusicgenDecoderConfig, MusicgenForConditionalGeneration,
                          T5Config)
from transformers.utils import logging

# transformers 5 renames past_key_values to cache (still accepted, with a warning a step); older ones know only it.
warnings.filterwarnings("ignore", category=FutureWarning)
logging.set_verbosity_error()


def musicgen_small_config():
    """facebook/musicgen-small's config (the values riffle-bench's RandomMusicGenCheckpoint writes)."""
    t5 = T5Config(vocab_size=32128, d_model=768, d_kv=64, d_ff=3072, num_layers=12, num_decoder_layers=12, num_heads=12,
                  relative_attention_num_buckets=32, relative_attention_max_distance=128, feed_forward_proj="relu")
    encodec = EncodecConfig(upsampling_ratios=[8, 5, 4, 4], target_bandwidths=[2.2], num_filters=64, sampling_rate=32000,
                            codebook_size=2048, use_causal_conv=False, normalize=False, use_conv_shortcut=False)
    decoder = MusicgenDecoderConfig(vocab_size=2048, hidden_size=1024, num_hidden_layers=24, num_attention_heads=16,
                                    ffn_dim=4096, num_codebooks=4, max_position_embeddings=2048, pad_token_id=2048,
                                    bos_token_id=2048, activation_function="gelu")
    return MusicgenConfig(text_encoder=t5.to_dict(), audio_encoder=encodec.to_dict(), decoder=decoder.to_dict())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=500, help="decoder steps (50 a second of audio)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--text-length", type=int, default=16, help="prompt tokens the cross-attention sees")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    start = time.perf_counter()
    model = MusicgenForConditionalGeneration(musicgen_small_config()).eval()
    load_seconds = time.perf_counter() - start
    decoder = model.decoder
    decoder_bytes = sum(p.numel() * p.element_size() for p in decoder.parameters())
    all_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    codebooks = model.config.decoder.num_codebooks
    batch = 2  # [conditional; unconditional]

    with torch.inference_mode():
        # The prompt's states as the decoder sees them: T5's width projected by enc_to_dec_proj (the unconditional
        # row's are zeros, as generate() makes them).
        text = torch.randn(batch, args.text_length, model.config.text_encoder.d_model) * 0.1
        text[1] = 0
        states = model.enc_to_dec_proj(text)
        mask = torch.ones(batch, args.text_length, dtype=torch.long)
        ids = torch.full((batch * codebooks, 1), model.config.decoder.bos_token_id, dtype=torch.long)
        past = None
        times = []
        for _ in range(args.steps):
            begin = time.perf_counter()
            out = decoder(input_ids=ids, encoder_hidden_states=states, encoder_attention_mask=mask, past_key_values=past,
                          use_cache=True)
            past = out.past_key_values
            ids = out.logits[:, -1, :].argmax(-1, keepdim=True)  # (batch·codebooks, 1), like a greedy step
            times.append(time.perf_counter() - begin)

    warm = times[min(4, len(times) - 1):]
    first, last = warm[:32], times[-32:]
    steps_per_second = len(warm) / sum(warm)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads: transformers' MusicGen decoder, musicgen-small shapes, "
          f"random weights, batch {batch} (guidance), {args.steps} steps, text of {args.text_length} tokens")
    print(f"  steps/s {steps_per_second:.2f}  (first 32 {len(first) / sum(first):.2f}, last 32 {len(last) / sum(last):.2f})"
          f"   s per s of audio {50 / steps_per_second:.3f}   build s {load_seconds:.1f}")
    print(f"  decoder weights {decoder_bytes / 1e6:.0f} MB (model {all_bytes / 1e6:.0f} MB)   peak (ru_maxrss) {peak / 1e6:.0f} MB")
    print(f"RESULT pytorch steps_per_s={steps_per_second} first32_steps_per_s={len(first) / sum(first)} "
          f"last32_steps_per_s={len(last) / sum(last)} weight_bytes={decoder_bytes} model_bytes={all_bytes} peak_bytes={peak}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
