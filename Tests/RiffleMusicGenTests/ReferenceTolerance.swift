/// The floor under |expected| for comparing against transformers' float32 recordings: 1e-4 relative for
/// values of at least 0.1, 1e-5 absolute below (the values are O(1): up to 3.8 in the tiny fixtures).
///
/// A lower floor would test torch's float32 rounding rather than the model: transformers itself, run in
/// float64 on the same weights, differs from its float32 recording by up to 3.7e-6 absolute, which at
/// expectClose's default floor of 1e-3 reads as 9e-4 (T5 output), 1.4e-3 (projected states) and 2.2e-4
/// (logits). Swift's float32 lands as close as float64 torch does; a real mistake (cross-attention that
/// ignores the text mask, say) shows as errors above 10 at this floor.
let referenceFloor: Float = 0.1
