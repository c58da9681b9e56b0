import Foundation
import Testing
@testable import RiffleMusicGen

/// The EnCodec port against what transformers recorded for the tiny checkpoints (see Tests/Fixtures/musicgen).
@Suite("EnCodec: decode and encode as transformers does")
struct EncodecTests {
    static let samples = 6400
    static let frames = 10

    /// The recorded float32 tensors are themselves about 1e-6 off the exact values of the graph: the same
    /// decode in float64 differs from tiny-stereo's by up to 3.4e-4 relative where a sample crosses zero
    /// (relative to max(|b|, 1e-3)). Any float32 port summing in another order lands as far off, so the
    /// network outputs are compared with a floor of 1e-2, 1% of the signals' typical amplitude (about 1;
    /// float64 then stays within 4e-5). The codebook sums are exact sums of stored vectors: default floor.
    static let signalFloor: Float = 1e-2

    func expectSignalClose(_ actual: [Float], _ expected: [Float], _ what: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(actual, expected, floor: Self.signalFloor, what, sourceLocation: sourceLocation)
    }

    /// Row `row` of a recorded integer tensor whose last dimensions are (codebooks, frames), as the codec's codes.
    func codes(_ fixture: ReferenceFixture, _ name: String, row: Int = 0) throws -> [Int32] {
        let (shape, values) = try fixture.integers(name)
        let count = shape[shape.count - 2] * shape[shape.count - 1]
        #expect(count == 4 * Self.frames, "\(name) has shape \(shape)")
        return values[row * count..<(row + 1) * count].map { Int32($0) }
    }

    /// Samples of channel `channel` of item `item` in a recorded (items, channels, samples) float tensor.
    func audio(_ fixture: ReferenceFixture, _ name: String, item: Int = 0, channel: Int) throws -> [Float] {
        let (shape, values) = try fixture.floats(name)
        let (channels, length) = (shape[1], shape[2])
        let start = (item * channels + channel) * length
        return Array(values[start..<start + length])
    }

    @Test("the codec's shape: 32 kHz, hop 640, 50 frames/s, 4 codebooks by transformers 5's bandwidth formula")
    func shape() throws {
        let codec = try EncodecCodec(snapshot: ReferenceFixture("tiny-mono").snapshot)
        #expect(codec.sampleRate == 32_000)
        #expect(codec.hopLength == 640)
        #expect(codec.frameRate == 50)
        #expect(codec.numCodebooks == 4)
        #expect(codec.encodeCodebooks == 4)
    }

    @Test("decode of the encoded test signal, and of what generate decoded for both prompts",
          arguments: ["tiny-mono", "tiny-mono-weightnorm"])
    func decodeMono(_ name: String) throws {
        let fixture = try ReferenceFixture(name)
        let codec = try EncodecCodec(snapshot: fixture.snapshot)
        let decoded = codec.decode(codes: try codes(fixture, "codec.codes.ch0"), frames: Self.frames)
        #expect(decoded.count == Self.samples)
        expectSignalClose(decoded, try audio(fixture, "codec.decoded.ch0", channel: 0), "\(name) codec.decoded.ch0")
        for item in 0..<2 {
            let generated = codec.decode(codes: try codes(fixture, "gen.codes.0", row: item), frames: Self.frames)
            expectSignalClose(generated, try audio(fixture, "gen.audio", item: item, channel: 0), "\(name) gen.audio[\(item)]")
        }
    }

    @Test("stereo decodes each channel apart with the mono codec: gen.codes.0 left, gen.codes.1 right")
    func decodeStereo() throws {
        let fixture = try ReferenceFixture("tiny-stereo")
        let codec = try EncodecCodec(snapshot: fixture.snapshot)
        for channel in 0..<2 {
            let decoded = codec.decode(codes: try codes(fixture, "codec.codes.ch\(channel)"), frames: Self.frames)
            expectSignalClose(decoded, try audio(fixture, "codec.decoded.ch\(channel)", channel: 0), "codec.decoded.ch\(channel)")
            for item in 0..<2 {
                let generated = codec.decode(codes: try codes(fixture, "gen.codes.\(channel)", row: item), frames: Self.frames)
                expectSignalClose(generated, try audio(fixture, "gen.audio", item: item, channel: channel), "gen.audio[\(item)][\(channel)]")
            }
        }
    }

    @Test("encode: the encoder output, the codes exactly, and their dequantized sum",
          arguments: [("tiny-mono", 0), ("tiny-mono-weightnorm", 0), ("tiny-stereo", 0), ("tiny-stereo", 1)])
    func encode(_ name: String, _ channel: Int) throws {
        let fixture = try ReferenceFixture(name)
        let codec = try EncodecCodec(snapshot: fixture.snapshot)
        let input = try audio(fixture, "codec.input", channel: channel)

        let embeddings = codec.encoderOutput(input)
        #expect(embeddings.channels == 16 && embeddings.length == Self.frames)
        expectSignalClose(embeddings.values, try fixture.floats("codec.encoder_out.ch\(channel)").values, "\(name) encoder_out.ch\(channel)")

        let expected = try codes(fixture, "codec.codes.ch\(channel)")
        let (codes, frames) = codec.encode(input)
        #expect(frames == Self.frames)
        #expect(codes == expected, "\(name) codes.ch\(channel)")

        let quantized = codec.dequantize(codes: codes, frames: frames)
        let expectedQuantized = try fixture.floats("codec.quantized.ch\(channel)").values
        expectClose(quantized.values, expectedQuantized, "\(name) quantized.ch\(channel)")
    }

    @Test("stereo's interleaved codes are the two channels' codes, left first")
    func interleaved() throws {
        let fixture = try ReferenceFixture("tiny-stereo")
        let codec = try EncodecCodec(snapshot: fixture.snapshot)
        let left = codec.encode(try audio(fixture, "codec.input", channel: 0)).codes
        let right = codec.encode(try audio(fixture, "codec.input", channel: 1)).codes
        var interleaved: [Int32] = []
        for k in 0..<4 {
            let row = k * Self.frames..<(k + 1) * Self.frames
            interleaved += left[row]
            interleaved += right[row]
        }
        let expected = try fixture.integers("codec.codes.interleaved").values.map { Int32($0) }
        #expect(interleaved == expected)
    }

    @Test("a clip that is not a whole number of frames gives ceil(samples / hop) frames; an empty one none")
    func partialFrames() throws {
        let fixture = try ReferenceFixture("tiny-mono")
        let codec = try EncodecCodec(snapshot: fixture.snapshot)
        let input = try audio(fixture, "codec.input", channel: 0)
        #expect(codec.encode(Array(input.prefix(6000))).frames == 10)
        #expect(codec.encode(Array(input.prefix(641))).frames == 2)
        #expect(codec.encode(Array(input.prefix(5))).frames == 1)
        #expect(codec.encode([]).frames == 0)
        #expect(codec.decode(codes: [], frames: 0).isEmpty)
    }

    @Test("codebook counts follow transformers 5: 1000·bw // (frame rate · bits), encode from the first bandwidth")
    func codebookCounts() {
        var config = EncodecConfig()  // the 24 kHz model: hop 320, 75 frames/s, 10 bits
        #expect(EncodecCodec.codebookCounts(config) == (32, 2))
        config.samplingRate = 32_000
        config.upsamplingRatios = [8, 5, 4, 4]
        config.codebookSize = 2048
        config.targetBandwidths = [2.2]  // facebook/musicgen-small's
        #expect(EncodecCodec.codebookCounts(config) == (4, 4))
        #expect(pythonFloorDivide(7, 2) == 3 && pythonFloorDivide(-7, 2) == -4 && pythonFloorDivide(1200, 300) == 4)
    }
}
