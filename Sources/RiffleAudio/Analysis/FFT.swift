import Foundation

/// A radix-2 complex FFT of one fixed size, for the chromagram the quality score needs.
///
/// Hand-written rather than a new C dependency (FFTW is in Debian): the score needs one size, about
/// 160 transforms per 30 s take, and packs two real frames into each complex transform, so this
/// costs a few milliseconds a take; a system library would add a package to every build machine, a
/// module map and a link for that.
struct FFT {
    let size: Int
    private let cosines: [Double]
    private let sines: [Double]
    private let reversed: [Int]

    /// `size` must be a power of two.
    init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "FFT size \(size) is not a power of two")
        self.size = size
        cosines = (0..<(size / 2)).map { cos(-2 * Double.pi * Double($0) / Double(size)) }
        sines = (0..<(size / 2)).map { sin(-2 * Double.pi * Double($0) / Double(size)) }
        let bits = size.trailingZeroBitCount
        reversed = (0..<size).map { index in
            var value = 0
            for bit in 0..<bits where index & (1 << bit) != 0 { value |= 1 << (bits - 1 - bit) }
            return value
        }
    }

    /// Transforms `real` + i·`imaginary` in place.
    func transform(_ real: inout [Double], _ imaginary: inout [Double]) {
        for index in 0..<size where index < reversed[index] {
            real.swapAt(index, reversed[index])
            imaginary.swapAt(index, reversed[index])
        }
        var half = 1
        while half < size {
            let stride = size / (2 * half)
            var start = 0
            while start < size {
                for offset in 0..<half {
                    let c = cosines[offset * stride], s = sines[offset * stride]
                    let a = start + offset, b = a + half
                    let tr = real[b] * c - imaginary[b] * s
                    let ti = real[b] * s + imaginary[b] * c
                    real[b] = real[a] - tr
                    imaginary[b] = imaginary[a] - ti
                    real[a] += tr
                    imaginary[a] += ti
                }
                start += 2 * half
            }
            half *= 2
        }
    }

    /// The power spectra (bins 0...size/2) of two real frames at once: one is the real part of a
    /// complex transform, the other the imaginary part, separated by conjugate symmetry.
    func powerSpectra(_ first: [Double], _ second: [Double]) -> ([Double], [Double]) {
        var real = first, imaginary = second
        transform(&real, &imaginary)
        var a = [Double](repeating: 0, count: size / 2 + 1), b = a
        for bin in 0...(size / 2) {
            let mirror = (size - bin) % size
            // A = (Z[k] + conj Z[N-k]) / 2, B = (Z[k] - conj Z[N-k]) / 2i.
            let ar = (real[bin] + real[mirror]) / 2, ai = (imaginary[bin] - imaginary[mirror]) / 2
            let br = (imaginary[bin] + imaginary[mirror]) / 2, bi = (real[mirror] - real[bin]) / 2
            a[bin] = ar * ar + ai * ai
            b[bin] = br * br + bi * bi
        }
        return (a, b)
    }
}
