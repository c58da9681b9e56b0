import Foundation

/// A checkpoint shaped like the hub's facebook/musicgen-small, with random weights: config.json as the hub has it
/// and one model.safetensors with every tensor transformers' MusicgenForConditionalGeneration saves, named as it
/// names them (text_encoder.*, enc_to_dec_proj.*, audio_encoder.*, decoder.*). Written here so the benchmark needs
/// no download; about 2.4 GB of fp32.
///
/// Weights are uniform with the standard deviation of transformers' initialisation (0.02), layer-norm gains 1,
/// biases 0: the values do not matter for speed, only that they are ordinary finite floats.
enum RandomMusicGenCheckpoint {
    struct Tensor {
        let name: String
        let shape: [Int]
        /// What to fill it with.
        let fill: Fill
        var count: Int { shape.reduce(1, *) }
    }

    enum Fill { case random, ones, zeros }

    // musicgen-small: T5-base text encoder, EnCodec 32 kHz, a 24-layer decoder of width 1024.
    static let t5 = (dModel: 768, dFF: 3072, heads: 12, layers: 12, vocab: 32128, buckets: 32)
    static let decoder = (hidden: 1024, ffn: 4096, heads: 16, layers: 24, codebooks: 4, vocab: 2048)
    static let encodec = (filters: 64, hidden: 128, ratios: [8, 5, 4, 4], codebookSize: 2048, codebookDim: 128, quantizers: 4,
                          compress: 2, residualLayers: 1, kernel: 7, lastKernel: 7, residualKernel: 3, lstmLayers: 2)

    /// Every tensor, in transformers' state-dict order. The text encoder's embed_tokens is tied to shared, so the
    /// hub's file (like the fixtures) holds only shared.
    static var tensors: [Tensor] {
        var list: [Tensor] = []
        func add(_ name: String, _ shape: [Int], _ fill: Fill = .random) { list.append(Tensor(name: name, shape: shape, fill: fill)) }

        // T5 encoder.
        add("text_encoder.shared.weight", [t5.vocab, t5.dModel])
        for block in 0..<t5.layers {
            let prefix = "text_encoder.encoder.block.\(block)"
            for projection in ["q", "k", "v", "o"] { add("\(prefix).layer.0.SelfAttention.\(projection).weight", [t5.dModel, t5.dModel]) }
            if block == 0 { add("\(prefix).layer.0.SelfAttention.relative_attention_bias.weight", [t5.buckets, t5.heads]) }
            add("\(prefix).layer.0.layer_norm.weight", [t5.dModel], .ones)
            add("\(prefix).layer.1.DenseReluDense.wi.weight", [t5.dFF, t5.dModel])
            add("\(prefix).layer.1.DenseReluDense.wo.weight", [t5.dModel, t5.dFF])
            add("\(prefix).layer.1.layer_norm.weight", [t5.dModel], .ones)
        }
        add("text_encoder.encoder.final_layer_norm.weight", [t5.dModel], .ones)

        // EnCodec, with its weight norms as save_pretrained writes them (parametrizations.weight.original0/1).
        func conv(_ prefix: String, out: Int, in inputs: Int, kernel: Int, transposed: Bool = false) {
            add("\(prefix).conv.bias", [out], .zeros)
            // weight_norm over dim 0: one magnitude per first dimension (out for a conv, in for a transposed one).
            let weightShape = transposed ? [inputs, out, kernel] : [out, inputs, kernel]
            add("\(prefix).conv.parametrizations.weight.original0", [weightShape[0], 1, 1])
            add("\(prefix).conv.parametrizations.weight.original1", weightShape)
        }
        func resnet(_ prefix: String, dim: Int) {
            conv("\(prefix).block.1", out: dim / encodec.compress, in: dim, kernel: encodec.residualKernel)
            conv("\(prefix).block.3", out: dim, in: dim / encodec.compress, kernel: 1)
        }
        func lstm(_ prefix: String, dim: Int) {
            for layer in 0..<encodec.lstmLayers {
                add("\(prefix).lstm.weight_ih_l\(layer)", [4 * dim, dim])
                add("\(prefix).lstm.weight_hh_l\(layer)", [4 * dim, dim])
                add("\(prefix).lstm.bias_ih_l\(layer)", [4 * dim], .zeros)
                add("\(prefix).lstm.bias_hh_l\(layer)", [4 * dim], .zeros)
            }
        }
        var index = 0
        var dim = encodec.filters
        conv("audio_encoder.encoder.layers.0", out: dim, in: 1, kernel: encodec.kernel)
        index = 1
        for ratio in encodec.ratios.reversed() {
            for _ in 0..<encodec.residualLayers {
                resnet("audio_encoder.encoder.layers.\(index)", dim: dim)
                index += 1
            }
            index += 1  // ELU
            conv("audio_encoder.encoder.layers.\(index)", out: dim * 2, in: dim, kernel: 2 * ratio)
            index += 1
            dim *= 2
        }
        lstm("audio_encoder.encoder.layers.\(index)", dim: dim)
        index += 2  // LSTM, ELU
        conv("audio_encoder.encoder.layers.\(index)", out: encodec.hidden, in: dim, kernel: encodec.lastKernel)

        conv("audio_encoder.decoder.layers.0", out: dim, in: encodec.hidden, kernel: encodec.kernel)
        lstm("audio_encoder.decoder.layers.1", dim: dim)
        index = 2
        for ratio in encodec.ratios {
            index += 1  // ELU
            conv("audio_encoder.decoder.layers.\(index)", out: dim / 2, in: dim, kernel: 2 * ratio, transposed: true)
            index += 1
            dim /= 2
            for _ in 0..<encodec.residualLayers {
                resnet("audio_encoder.decoder.layers.\(index)", dim: dim)
                index += 1
            }
        }
        index += 1  // ELU
        conv("audio_encoder.decoder.layers.\(index)", out: 1, in: dim, kernel: encodec.lastKernel)

        for quantizer in 0..<encodec.quantizers {
            let prefix = "audio_encoder.quantizer.layers.\(quantizer).codebook"
            add("\(prefix).inited", [1], .ones)
            add("\(prefix).cluster_size", [encodec.codebookSize], .ones)
            add("\(prefix).embed", [encodec.codebookSize, encodec.codebookDim])
            add("\(prefix).embed_avg", [encodec.codebookSize, encodec.codebookDim])
        }

        // The decoder and its projection from the text encoder's width.
        add("enc_to_dec_proj.weight", [decoder.hidden, t5.dModel])
        add("enc_to_dec_proj.bias", [decoder.hidden], .zeros)
        for codebook in 0..<decoder.codebooks {
            add("decoder.model.decoder.embed_tokens.\(codebook).weight", [decoder.vocab + 1, decoder.hidden])
        }
        let square = [decoder.hidden, decoder.hidden]
        for layer in 0..<decoder.layers {
            let prefix = "decoder.model.decoder.layers.\(layer)"
            for attention in ["self_attn", "encoder_attn"] {
                for projection in ["k_proj", "v_proj", "q_proj", "out_proj"] { add("\(prefix).\(attention).\(projection).weight", square) }
                add("\(prefix).\(attention)_layer_norm.weight", [decoder.hidden], .ones)
                add("\(prefix).\(attention)_layer_norm.bias", [decoder.hidden], .zeros)
            }
            add("\(prefix).fc1.weight", [decoder.ffn, decoder.hidden])
            add("\(prefix).fc2.weight", [decoder.hidden, decoder.ffn])
            add("\(prefix).final_layer_norm.weight", [decoder.hidden], .ones)
            add("\(prefix).final_layer_norm.bias", [decoder.hidden], .zeros)
        }
        add("decoder.model.decoder.layer_norm.weight", [decoder.hidden], .ones)
        add("decoder.model.decoder.layer_norm.bias", [decoder.hidden], .zeros)
        for codebook in 0..<decoder.codebooks { add("decoder.lm_heads.\(codebook).weight", [decoder.vocab, decoder.hidden]) }
        return list
    }

    /// config.json of facebook/musicgen-small (the fields transformers reads; values as on the hub).
    static let config = """
    {
      "_name_or_path": "facebook/musicgen-small",
      "architectures": ["MusicgenForConditionalGeneration"],
      "audio_encoder": {
        "_name_or_path": "facebook/encodec_32khz",
        "audio_channels": 1, "chunk_length_s": null, "codebook_dim": 128, "codebook_size": 2048, "compress": 2,
        "dilation_growth_rate": 2, "hidden_size": 128, "kernel_size": 7, "last_kernel_size": 7, "model_type": "encodec",
        "norm_type": "weight_norm", "normalize": false, "num_filters": 64, "num_lstm_layers": 2, "num_residual_layers": 1,
        "overlap": null, "pad_mode": "reflect", "residual_kernel_size": 3, "sampling_rate": 32000, "target_bandwidths": [2.2],
        "trim_right_ratio": 1.0, "upsampling_ratios": [8, 5, 4, 4], "use_causal_conv": false, "use_conv_shortcut": false
      },
      "decoder": {
        "activation_dropout": 0.0, "activation_function": "gelu", "attention_dropout": 0.0, "audio_channels": 1,
        "bos_token_id": 2048, "classifier_dropout": 0.0, "dropout": 0.1, "ffn_dim": 4096, "hidden_size": 1024,
        "initializer_factor": 0.02, "layerdrop": 0.0, "max_position_embeddings": 2048, "model_type": "musicgen_decoder",
        "num_attention_heads": 16, "num_codebooks": 4, "num_hidden_layers": 24, "pad_token_id": 2048,
        "scale_embedding": false, "tie_word_embeddings": false, "use_cache": true, "vocab_size": 2048
      },
      "is_encoder_decoder": true,
      "model_type": "musicgen",
      "text_encoder": {
        "_name_or_path": "t5-base",
        "architectures": ["T5ForConditionalGeneration"],
        "d_ff": 3072, "d_kv": 64, "d_model": 768, "decoder_start_token_id": 0, "dense_act_fn": "relu", "dropout_rate": 0.1,
        "eos_token_id": 1, "feed_forward_proj": "relu", "initializer_factor": 1.0, "is_encoder_decoder": true,
        "is_gated_act": false, "layer_norm_epsilon": 1e-06, "model_type": "t5", "n_positions": 512, "num_decoder_layers": 12,
        "num_heads": 12, "num_layers": 12, "output_past": true, "pad_token_id": 0, "relative_attention_max_distance": 128,
        "relative_attention_num_buckets": 32, "vocab_size": 32128
      },
      "torch_dtype": "float32",
      "transformers_version": "4.31.0.dev0"
    }
    """

    /// Writes config.json and model.safetensors into `folder`; returns the weight file's size in bytes.
    @discardableResult
    static func write(to folder: String, seed: UInt64 = 1) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(config.utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent("config.json"))

        let tensors = self.tensors
        var entries: [String] = []
        var offset = 0
        for tensor in tensors {
            let bytes = tensor.count * 4
            entries.append("\"\(tensor.name)\":{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        var header = "{\"__metadata__\":{\"format\":\"pt\"}," + entries.joined(separator: ",") + "}"
        while (8 + header.utf8.count) % 8 != 0 { header += " " }

        let path = URL(fileURLWithPath: folder).appendingPathComponent("model.safetensors").path
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw BenchError("cannot create \(path)") }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var length = UInt64(header.utf8.count).littleEndian
        try handle.write(contentsOf: Data(bytes: &length, count: 8))
        try handle.write(contentsOf: Data(header.utf8))

        // Uniform on [-a, a] has standard deviation a/√3: a = 0.02·√3.
        let amplitude = Float(0.02 * 3.0.squareRoot())
        var state = seed
        let chunk = 1 << 20
        var buffer = [Float](repeating: 0, count: chunk)
        for tensor in tensors {
            var left = tensor.count
            while left > 0 {
                let n = min(left, chunk)
                buffer.withUnsafeMutableBufferPointer { values in
                    switch tensor.fill {
                    case .ones: values.baseAddress!.update(repeating: 1, count: n)
                    case .zeros: values.baseAddress!.update(repeating: 0, count: n)
                    case .random:
                        for index in 0..<n {
                            // xorshift64*: plenty for benchmark weights.
                            state ^= state >> 12
                            state ^= state << 25
                            state ^= state >> 27
                            let bits = (state &* 0x2545_F491_4F6C_DD1D) >> 40  // 24 bits
                            values[index] = (Float(bits) * 0x1p-23 - 1) * amplitude
                        }
                    }
                }
                try buffer.withUnsafeBytes { try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0.baseAddress!), count: n * 4, deallocator: .none)) }
                left -= n
            }
        }
        return 8 + header.utf8.count + offset
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
