#!/usr/bin/env python3
"""Build tiny random MusicGen checkpoints and record Hugging Face transformers' outputs on them.

Run by hand, never in CI (needs torch, transformers, safetensors, sentencepiece, numpy from PyPI):

    python3 -m venv /tmp/mgvenv
    /tmp/mgvenv/bin/pip install torch transformers safetensors sentencepiece numpy protobuf
    /tmp/mgvenv/bin/python scripts/musicgen/make_fixtures.py Tests/Fixtures/musicgen

The checkpoints have the structure of the real 32 kHz ones (facebook/musicgen-small and
musicgen-stereo-small: T5 text encoder, enc_to_dec_proj, decoder LM with one embedding and one head per
codebook, EnCodec 32 kHz with upsampling ratios 8,5,4,4, a 2-layer LSTM, weight norm, 4 codebooks) but tiny
sizes and random weights. Everything is float32 and seeded, so two runs write identical files.

Per checkpoint folder it writes the hub layout (config.json, generation_config.json, model.safetensors,
spiece.model, tokenizer files) and reference.safetensors + reference.json with transformers' outputs.
"""
import json
import os
import shutil
import sys
import tempfile

import numpy as np
import sentencepiece as spm
import torch
import transformers
from safetensors.numpy import save_file as np_save_file
from safetensors.torch import load_file, save_file
from transformers import (EncodecConfig, MusicgenConfig, MusicgenDecoderConfig,
                          MusicgenForConditionalGeneration, T5Config, T5Tokenizer)

SEED = 1234
# picked so greedy decoding is far from ties (min top-2 margin of the guided scores, see reference.json)
STEREO_SEED_OFFSET = 5
CODEBOOK_SIZE = 64          # real: 2048
SP_VOCAB = 200             # asked of the trainer; hard_vocab_limit=False lets it stop at 193 pieces
T5_VOCAB = 320             # >= 193 pieces + 100 <extra_id_*> tokens (real t5-base: 32100 tokens, 32128 rows)

CORPUS = """\
lo-fi hip hop beat with warm piano chords and vinyl crackle
an upbeat pop song with bright synths, claps and a catchy bass line
slow ambient pad, soft strings, distant bells, calm and dreamy
80s synthwave with driving drums, arpeggiated bass and neon leads
acoustic folk guitar, gentle fingerpicking, a quiet morning in a café
epic orchestral trailer music with big brass, choir and timpani
jazz trio at night: upright bass, brushed drums, piano solo
funky disco groove with slap bass, wah guitar and strings
minimal techno, 128 bpm, deep kick, hypnotic hi-hats
reggae skank guitar with a heavy dub bassline and echo
classical piano sonata in a minor key, melancholic and slow
happy ukulele tune with whistling and hand claps
heavy metal riff with distorted guitars and double bass drums
bossa nova with nylon guitar, soft vocals and shaker
drum and bass at 174 bpm with a rolling amen break
cinematic piano and cello, emotional, rain on the window
chiptune 8-bit melody, square waves, retro video game
country song with banjo, fiddle and a steel guitar
trap beat with 808 bass, rapid hi-hats and dark bells
a calm flute melody over a drone, meditative, tibetan bowls
Rock! Loud guitars... (live); crowd noise -- encore?!
"""

# Prompts that stress the tokenizer: unicode (unknown characters), punctuation, empty-ish, a normal one.
PROMPTS = [
    "lo-fi hip hop beat with warm piano chords",
    "café ☕ 夜のジャズ",
    "!!! ... ??? -- (rock) [drums]; {bass}: 'loud' \"fast\" / 120 bpm & more...",
    "a",
    "  spaced   out\tambient  ",
    "",
]
# Two prompts go through the model (the batch is padded, so the mask matters).
MODEL_PROMPTS = [PROMPTS[0], PROMPTS[3]]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def train_tokenizer(workdir):
    corpus_path = os.path.join(workdir, "corpus.txt")
    with open(corpus_path, "w", encoding="utf-8") as f:
        f.write(CORPUS)
    prefix = os.path.join(workdir, "spiece")
    # T5's spiece.model: pad 0, eos 1, unk 2, no bos; unigram; nmt_nfkc normalization.
    spm.SentencePieceTrainer.train(
        input=corpus_path, model_prefix=prefix, vocab_size=SP_VOCAB, model_type="unigram",
        pad_id=0, eos_id=1, unk_id=2, bos_id=-1, character_coverage=1.0,
        normalization_rule_name="nmt_nfkc", num_threads=1, seed_sentencepiece_size=100000,
        shuffle_input_sentence=False, hard_vocab_limit=False, minloglevel=2)
    # the trainer spec records the temporary paths: write fixed ones so two runs give the same bytes
    from sentencepiece import sentencepiece_model_pb2 as pb
    proto = pb.ModelProto()
    with open(prefix + ".model", "rb") as f:
        proto.ParseFromString(f.read())
    del proto.trainer_spec.input[:]
    proto.trainer_spec.input.append("corpus.txt")
    proto.trainer_spec.model_prefix = "spiece"
    with open(prefix + ".model", "wb") as f:
        f.write(proto.SerializeToString())
    return prefix + ".model"


def tiny_config(stereo):
    t5 = T5Config(
        vocab_size=T5_VOCAB, d_model=32, d_kv=16, d_ff=64, num_layers=2, num_decoder_layers=2,
        num_heads=2, relative_attention_num_buckets=32, relative_attention_max_distance=128,
        dropout_rate=0.0, feed_forward_proj="relu", layer_norm_epsilon=1e-6, pad_token_id=0,
        eos_token_id=1, decoder_start_token_id=0)
    # The real musicgen 32 kHz EnCodec (facebook/encodec_32khz) except num_filters, hidden_size,
    # codebook_size and the bandwidth: transformers takes num_quantizers = 1000*bw // (frame_rate * log2(codebook
    # size)): 2200 // (50*11) = 4 for the real one, 1200 // (50*6) = 4 here. The stereo MusicGen checkpoints keep a mono EnCodec and code each channel apart.
    encodec = EncodecConfig(
        target_bandwidths=[1.2], sampling_rate=32000, audio_channels=1, normalize=False,
        chunk_length_s=None, overlap=None, hidden_size=16, num_filters=4, num_residual_layers=1,
        upsampling_ratios=[8, 5, 4, 4], norm_type="weight_norm", kernel_size=7, last_kernel_size=7,
        residual_kernel_size=3, dilation_growth_rate=2, use_causal_conv=False, pad_mode="reflect",
        compress=2, num_lstm_layers=2, trim_right_ratio=1.0, codebook_size=CODEBOOK_SIZE,
        codebook_dim=16, use_conv_shortcut=False)
    # hidden_size 48 != T5's 32, so enc_to_dec_proj exists, as in the real checkpoints (768 -> 1024).
    dec = MusicgenDecoderConfig(
        vocab_size=CODEBOOK_SIZE, max_position_embeddings=256, num_hidden_layers=2, ffn_dim=64,
        num_attention_heads=2, hidden_size=48, activation_function="gelu", dropout=0.0,
        attention_dropout=0.0, activation_dropout=0.0, layerdrop=0.0, scale_embedding=False,
        num_codebooks=8 if stereo else 4, audio_channels=2 if stereo else 1,
        pad_token_id=CODEBOOK_SIZE, bos_token_id=CODEBOOK_SIZE, tie_word_embeddings=False)
    cfg = MusicgenConfig(text_encoder=t5.to_dict(), audio_encoder=encodec.to_dict(), decoder=dec.to_dict())
    return cfg


def randomize(model, seed):
    # transformers' init draws small values; redraw every tensor so the outputs are far from zero and
    # every weight matters (including biases and norm gains).
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "original0" in name or name.endswith("weight_g"):
                # weight-norm gain: positive, near the norm of v, so the fold is visible
                p.copy_(0.5 + torch.rand(p.shape, generator=g))
            elif "norm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            elif "codebook" in name or "embed" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            else:
                fan_in = p.shape[1] * (p[0, 0].numel() if p.dim() > 2 else 1) if p.dim() >= 2 else p.shape[0]
                p.copy_(torch.randn(p.shape, generator=g) / max(1.0, fan_in) ** 0.5)
    # EnCodec's codebooks are buffers (embed, embed_avg, cluster_size, inited): draw them apart.
    with torch.no_grad():
        for layer in model.audio_encoder.quantizer.layers:
            cb = layer.codebook
            cb.embed.copy_(torch.randn(cb.embed.shape, generator=g))
            cb.embed_avg.copy_(cb.embed.clone())
            cb.cluster_size.fill_(1.0)
            cb.inited.fill_(True)


def t(x):
    return x.detach().to(torch.float32).contiguous().cpu() if x.is_floating_point() else x.detach().to(torch.int64).contiguous().cpu()


def sine(n, sr, channels):
    ts = torch.arange(n, dtype=torch.float64) / sr
    chans = [0.5 * torch.sin(2 * np.pi * 440.0 * ts) + 0.2 * torch.sin(2 * np.pi * 1234.5 * ts)]
    if channels == 2:
        chans.append(0.4 * torch.sin(2 * np.pi * 330.0 * ts + 0.3))
    return torch.stack(chans)[None].to(torch.float32)   # (1, channels, n)


def record(model, tok, folder, stereo):
    ref = {}
    info = {"prompts": PROMPTS, "model_prompts": MODEL_PROMPTS}
    # 1. token ids, one prompt at a time (as the slow sentencepiece tokenizer gives them, </s> appended)
    ids_each = []
    for i, p in enumerate(PROMPTS):
        ids = tok(p)["input_ids"]
        ids_each.append(ids)
        ref[f"tokens.{i}"] = torch.tensor(ids, dtype=torch.int64)
    info["token_ids"] = ids_each
    # libsentencepiece on spiece.model (what the Swift side uses) must agree, </s> appended
    sp = spm.SentencePieceProcessor(model_file=os.path.join(folder, "spiece.model"))
    sp_ids = [sp.encode(p) + [1] for p in PROMPTS]
    assert sp_ids == ids_each, (sp_ids, ids_each)
    info["pieces"] = [[sp.id_to_piece(i) for i in ids] for ids in ids_each]

    # 2. T5 encoder states on the padded batch, and after enc_to_dec_proj (and the mask multiply)
    enc_in = tok(MODEL_PROMPTS, padding=True, return_tensors="pt")
    ids, mask = enc_in["input_ids"], enc_in["attention_mask"]
    ref["text.input_ids"], ref["text.attention_mask"] = t(ids), t(mask)
    with torch.no_grad():
        h = model.text_encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        ref["text.last_hidden_state"] = t(h)
        hp = model.enc_to_dec_proj(h)
        ref["text.projected"] = t(hp)
        ref["text.projected_masked"] = t(hp * mask[..., None])

    # 3. decoder logits under teacher forcing for the first steps, the delay pattern as transformers
    #    builds it for generation (start from bos for every codebook).
    K = model.decoder.config.num_codebooks
    bos = model.generation_config.decoder_start_token_id
    pad = model.generation_config.pad_token_id
    steps = 4
    B = ids.shape[0]
    g = torch.Generator().manual_seed(SEED + 7)
    start = torch.full((B * K, 1), bos, dtype=torch.long)
    # (a max_length under 2K-1 would skip the pattern: build a longer one and keep the first steps)
    _, pattern = model.decoder.build_delay_pattern_mask(start, pad_token_id=pad, max_length=16)
    pattern = pattern[:, :steps]
    free = torch.randint(0, CODEBOOK_SIZE, (B * K, steps), generator=g)
    dec_ids = model.decoder.apply_delay_pattern_mask(free, pattern)
    ref["tf.delay_pattern_mask"] = t(pattern)
    ref["tf.decoder_input_ids"] = t(dec_ids)
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, decoder_input_ids=dec_ids)
        ref["tf.logits"] = t(out.logits)
        # with guidance: batch [cond; uncond], uncond = zero text states and zero mask (as generate does)
        h2 = torch.cat([h, torch.zeros_like(h)], 0)
        m2 = torch.cat([mask, torch.zeros_like(mask)], 0)
        dec2 = torch.cat([dec_ids, dec_ids], 0)
        from transformers.modeling_outputs import BaseModelOutput
        out2 = model(encoder_outputs=BaseModelOutput(last_hidden_state=h2), attention_mask=m2,
                     decoder_input_ids=dec2)
        ref["tf.cfg_logits"] = t(out2.logits)
        lg = out2.logits.reshape(2, B * K, steps, -1)
        ref["tf.cfg_guided_logits_g3"] = t(lg[1] + 3.0 * (lg[0] - lg[1]))
    # a longer pattern mask too, as generate builds it (max_length = 1 + max_new_tokens)
    _, pattern16 = model.decoder.build_delay_pattern_mask(start[:K], pad_token_id=pad, max_length=16)
    ref["delay_pattern_mask_16"] = t(pattern16)

    # 4. greedy generation with guidance 3 (about 0.2 s: 10 frames + the delay)
    # frames = max_length - channel codebooks, max_length = 1 + max_new_tokens
    max_new = 10 + (K // (2 if stereo else 1)) - 1
    info["generate"] = {"do_sample": False, "guidance_scale": 3.0, "max_new_tokens": max_new,
                        "prompts": MODEL_PROMPTS}
    # generate returns only audio: catch the delayed ids (the last apply_delay_pattern_mask call, after
    # sampling) and the codes given to EnCodec (delay undone, pad == bos removed) on the way.
    seen = {"delayed": None, "codes": []}
    orig_apply, orig_decode = model.decoder.apply_delay_pattern_mask, model.audio_encoder.decode

    def apply_spy(input_ids, decoder_pad_token_mask):
        seen["delayed"] = input_ids.clone()
        return orig_apply(input_ids, decoder_pad_token_mask)

    def decode_spy(audio_codes, *a, **kw):
        seen["codes"].append(audio_codes.clone())
        return orig_decode(audio_codes, *a, **kw)

    model.decoder.apply_delay_pattern_mask = apply_spy
    model.audio_encoder.decode = decode_spy
    torch.manual_seed(SEED)
    try:
        with torch.no_grad():
            gen = model.generate(input_ids=ids, attention_mask=mask, do_sample=False, guidance_scale=3.0,
                                 max_new_tokens=max_new, return_dict_in_generate=True, output_scores=True)
    finally:
        del model.decoder.apply_delay_pattern_mask, model.audio_encoder.decode
    ref["gen.delayed_ids"] = t(seen["delayed"])                 # (B*K, 1 + max_new): bos column included
    ref["gen.delayed_ids_masked"] = t(orig_apply(seen["delayed"], pattern_for(model, B, 1 + max_new)))
    for i, c in enumerate(seen["codes"]):                        # mono: one call; stereo: left, right
        ref[f"gen.codes.{i}"] = t(c)                            # (1, B, nq, frames)
    ref["gen.audio"] = t(gen.sequences)                         # (B, channels, samples)
    # processed scores per step: the guided logits (uncond + 3 (cond - uncond)), (steps, B*K, vocab)
    ref["gen.scores"] = t(torch.stack(gen.scores, 0))
    # how far the greedy choice is from a tie: a port within 1e-4 must not flip any token
    top2 = ref["gen.scores"].topk(2, dim=-1).values
    info["gen"] = {"min_top2_margin": float((top2[..., 0] - top2[..., 1]).min())}

    # 5. EnCodec: encoder codes of a given signal (0.2 s sine), and the decode of those codes
    sr = model.audio_encoder.config.sampling_rate
    n = 6400
    sig = sine(n, sr, 2 if stereo else 1)
    ref["codec.input"] = t(sig)
    with torch.no_grad():
        chans = [sig[:, c:c + 1] for c in range(sig.shape[1])]
        codes = []
        for c, x in enumerate(chans):
            enc = model.audio_encoder.encode(input_values=x)
            ref[f"codec.codes.ch{c}"] = t(enc.audio_codes)        # (chunks=1, batch, nq, frames)
            codes.append(enc.audio_codes)
            dec = model.audio_encoder.decode(enc.audio_codes, [None]).audio_values
            ref[f"codec.decoded.ch{c}"] = t(dec)
            # the pieces, for debugging a port: encoder output (before quantization) and quantized embeddings
            emb = model.audio_encoder.encoder(x)
            ref[f"codec.encoder_out.ch{c}"] = t(emb)
            q = model.audio_encoder.quantizer.decode(enc.audio_codes[0].transpose(0, 1))
            ref[f"codec.quantized.ch{c}"] = t(q)
        if stereo:
            # stereo decoder codebooks interleave channels: 0,2,4,6 left, 1,3,5,7 right
            inter = torch.stack([codes[0][0], codes[1][0]], dim=2).reshape(1, -1, codes[0].shape[-1])
            ref["codec.codes.interleaved"] = t(inter)
    info["codec"] = {"signal": "0.5 sin(2π·440 t) + 0.2 sin(2π·1234.5 t) (left); 0.4 sin(2π·330 t + 0.3) (right)",
                     "samples": n, "sampling_rate": sr}
    # 6. the acceptance run: one prompt, greedy (top_k 1 samples the same), guidance 3, 5 s
    # (max_new_tokens 250: 250 + 1 - channel codebooks frames). Codes of every frame, and the first second
    # of audio; a port that drifts anywhere in 250 steps differs in its codes.
    long_prompt = "80s synthwave with gated reverb drums"
    long_ids = tok([long_prompt], return_tensors="pt")
    seen["codes"] = []
    model.audio_encoder.decode = decode_spy
    torch.manual_seed(SEED)
    try:
        with torch.no_grad():
            long = model.generate(input_ids=long_ids.input_ids, attention_mask=long_ids.attention_mask, do_sample=False,
                                  guidance_scale=3.0, max_new_tokens=250, return_dict_in_generate=True, output_scores=True)
    finally:
        del model.audio_encoder.decode
    for i, c in enumerate(seen["codes"]):
        ref[f"long.codes.{i}"] = t(c)                           # (1, 1, nq, frames)
    ref["long.audio_1s"] = t(long.sequences[..., :sr].contiguous())  # (1, channels, 32000)
    top2 = torch.stack(long.scores, 0).topk(2, dim=-1).values
    info["long"] = {"prompt": long_prompt, "max_new_tokens": 250, "guidance_scale": 3.0, "do_sample": False,
                    "min_top2_margin": float((top2[..., 0] - top2[..., 1]).min())}
    info["versions"] = {"torch": torch.__version__, "transformers": transformers.__version__,
                        "sentencepiece": spm.__version__, "numpy": np.__version__}
    info["shapes"] = {k: list(v.shape) for k, v in ref.items()}
    save_file(ref, os.path.join(folder, "reference.safetensors"), metadata={"format": "pt"})
    with open(os.path.join(folder, "reference.json"), "w", encoding="utf-8") as f:
        json.dump(info, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")


def pattern_for(model, B, max_length):
    K = model.decoder.config.num_codebooks
    bos = model.generation_config.decoder_start_token_id
    start = torch.full((B * K, 1), bos, dtype=torch.long)
    return model.decoder.build_delay_pattern_mask(start, pad_token_id=bos, max_length=max_length)[1]


def weightnorm_copy(src, dst):
    shutil.copytree(src, dst)
    path = os.path.join(dst, "model.safetensors")
    tensors = load_file(path)
    renamed = {}
    for k, v in tensors.items():
        k2 = k.replace(".parametrizations.weight.original0", ".weight_g").replace(
            ".parametrizations.weight.original1", ".weight_v")
        renamed[k2] = v
    assert any(k.endswith("weight_g") for k in renamed), "no weight-norm parameters found to rename"
    save_file(renamed, path, metadata={"format": "pt"})
    # the outputs must not change: transformers loads the old names too
    m = MusicgenForConditionalGeneration.from_pretrained(dst, attn_implementation="eager").eval()
    return m


def build(out_root, name, stereo, tokdir):
    folder = os.path.join(out_root, name)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    torch.manual_seed(SEED)
    cfg = tiny_config(stereo)
    model = MusicgenForConditionalGeneration(cfg).eval()
    randomize(model, SEED + (STEREO_SEED_OFFSET if stereo else 0))
    gc = model.generation_config
    gc.decoder_start_token_id = CODEBOOK_SIZE
    gc.pad_token_id = CODEBOOK_SIZE
    gc.bos_token_id = CODEBOOK_SIZE
    gc.guidance_scale = 3.0
    gc.do_sample = True
    gc.top_k = 250
    gc.max_length = 1500
    model.save_pretrained(folder, safe_serialization=True)
    # transformers 5 converts spiece.model to a tokenizers Unigram (needs protobuf); 100 <extra_id_*> as the hub's
    shutil.copy(os.path.join(tokdir, "spiece.model"), os.path.join(folder, "spiece.model"))
    tok = T5Tokenizer.from_pretrained(folder)
    tok.save_pretrained(folder)
    assert os.path.exists(os.path.join(folder, "spiece.model"))
    # reload from disk so what we record is what the files say
    model = MusicgenForConditionalGeneration.from_pretrained(folder, attn_implementation="eager").eval()
    tok = T5Tokenizer.from_pretrained(folder)
    return folder, model, tok


def main():
    out_root = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/musicgen"
    os.makedirs(out_root, exist_ok=True)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    with tempfile.TemporaryDirectory() as tmp:
        train_tokenizer(tmp)
        for name, stereo in [("tiny-mono", False), ("tiny-stereo", True)]:
            log("building", name)
            folder, model, tok = build(out_root, name, stereo, tmp)
            record(model, tok, folder, stereo)
            if not stereo:
                wn = os.path.join(out_root, "tiny-mono-weightnorm")
                if os.path.exists(wn):
                    shutil.rmtree(wn)
                m2 = weightnorm_copy(folder, wn)
                sd1, sd2 = model.state_dict(), m2.state_dict()
                for k in sd1:
                    assert torch.equal(sd1[k], sd2[k]), k
                log("weight_g/weight_v copy loads to the same weights")
    log("done")


if __name__ == "__main__":
    main()
