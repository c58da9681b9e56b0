/// transformers' EncodecResidualVectorQuantizer: codebook k quantizes what codebooks 0..<k left over (nearest
/// entry by Euclidean distance), and the quantized vector is the sum of every codebook's chosen entry.
final class ResidualVectorQuantizer: @unchecked Sendable {  // immutable after init
    let codebookCount: Int
    let codebookSize: Int
    let dimension: Int
    /// Codebook k's entries, [codebookSize][dimension], one after another.
    private let embeddings: [Float]
    /// ‖e‖² of every entry, in codebook order.
    private let squaredNorms: [Float]

    init(embeddings: [Float], codebookCount: Int, codebookSize: Int, dimension: Int) {
        precondition(embeddings.count == codebookCount * codebookSize * dimension, "ResidualVectorQuantizer: embedding size")
        self.codebookCount = codebookCount
        self.codebookSize = codebookSize
        self.dimension = dimension
        self.embeddings = embeddings
        squaredNorms = (0..<codebookCount * codebookSize).map { entry in
            var sum: Float = 0
            for d in 0..<dimension { sum += embeddings[entry * dimension + d] * embeddings[entry * dimension + d] }
            return sum
        }
    }

    /// `codebookCount` codebooks `module.layers.<k>.codebook.embed` of [codebookSize, dimension].
    static func load(_ source: any TensorSource, _ module: String, codebookCount: Int, codebookSize: Int, dimension: Int) throws -> ResidualVectorQuantizer {
        var embeddings: [Float] = []
        embeddings.reserveCapacity(codebookCount * codebookSize * dimension)
        for k in 0..<codebookCount {
            embeddings += try source.codecTensor("\(module).layers.\(k).codebook.embed", shape: [codebookSize, dimension])
        }
        return ResidualVectorQuantizer(embeddings: embeddings, codebookCount: codebookCount, codebookSize: codebookSize, dimension: dimension)
    }

    /// The quantized embeddings (dimension × frames) of codes laid out codebook-major, codes[k · frames + t],
    /// for the first codes.count / frames codebooks.
    func decode(_ codes: [Int32], frames: Int) -> CodecSignal {
        precondition(frames > 0 && codes.count % frames == 0, "ResidualVectorQuantizer: \(codes.count) codes for \(frames) frames")
        let used = codes.count / frames
        precondition(used >= 1 && used <= codebookCount, "ResidualVectorQuantizer: \(used) codebooks of codes, the model has \(codebookCount)")
        var output = CodecSignal(channels: dimension, length: frames, values: [Float](repeating: 0, count: dimension * frames))
        output.values.withUnsafeMutableBufferPointer { out in
            embeddings.withUnsafeBufferPointer { table in
                // Codebook by codebook, as transformers sums them (float addition is not associative).
                for k in 0..<used {
                    for t in 0..<frames {
                        let code = Int(codes[k * frames + t])
                        precondition(code >= 0 && code < codebookSize, "ResidualVectorQuantizer: code \(code) outside 0..<\(codebookSize)")
                        let entry = table.baseAddress! + (k * codebookSize + code) * dimension
                        for d in 0..<dimension { out[d * frames + t] += entry[d] }
                    }
                }
            }
        }
        return output
    }

    /// Codes (codebook-major, `count` × frames) of embeddings (dimension × frames), by residual quantization.
    func encode(_ input: CodecSignal, codebooks count: Int) -> [Int32] {
        precondition(input.channels == dimension, "ResidualVectorQuantizer: \(input.channels) channels, expected \(dimension)")
        precondition(count >= 1 && count <= codebookCount, "ResidualVectorQuantizer: \(count) codebooks of \(codebookCount)")
        let frames = input.length
        var codes = [Int32](repeating: 0, count: count * frames)
        guard frames > 0 else { return codes }
        // Frame-major residuals, so that one sgemm gives every frame's dot product with every entry.
        var residual = [Float](repeating: 0, count: frames * dimension)
        for d in 0..<dimension { for t in 0..<frames { residual[t * dimension + d] = input.values[d * frames + t] } }
        var dots = [Float](repeating: 0, count: frames * codebookSize)

        residual.withUnsafeMutableBufferPointer { r in
            dots.withUnsafeMutableBufferPointer { dot in
                embeddings.withUnsafeBufferPointer { table in
                    squaredNorms.withUnsafeBufferPointer { norms in
                        for k in 0..<count {
                            let book = table.baseAddress! + k * codebookSize * dimension
                            sgemm(transposeB: true, m: frames, n: codebookSize, k: dimension, a: r.baseAddress!, lda: dimension,
                                  b: book, ldb: dimension, beta: 0, c: dot.baseAddress!, ldc: codebookSize)
                            for t in 0..<frames {
                                let row = r.baseAddress! + t * dimension
                                var own: Float = 0
                                for d in 0..<dimension { own += row[d] * row[d] }
                                // transformers' −(‖x‖² − 2·x·e + ‖e‖²), first maximum wins as torch.max does.
                                var best = 0
                                var bestScore = -Float.infinity
                                for entry in 0..<codebookSize {
                                    let score = -(own - 2 * dot[t * codebookSize + entry] + norms[k * codebookSize + entry])
                                    if score > bestScore { bestScore = score; best = entry }
                                }
                                codes[k * frames + t] = Int32(best)
                                let chosen = book + best * dimension
                                for d in 0..<dimension { row[d] -= chosen[d] }
                            }
                        }
                    }
                }
            }
        }
        return codes
    }
}
