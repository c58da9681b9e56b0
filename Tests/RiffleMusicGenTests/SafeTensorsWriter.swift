import Foundation
@testable import RiffleMusicGen

/// A tiny safetensors writer for the tests: valid files from tensors, and broken ones from a raw header.
struct TensorSpec {
    var name: String
    var dtype: String
    var shape: [Int]
    var data: [UInt8]

    static func f32(_ name: String, _ shape: [Int], _ values: [Float]) -> TensorSpec {
        TensorSpec(name: name, dtype: "F32", shape: shape, data: values.flatMap { bytes(of: $0.bitPattern) })
    }

    static func f16(_ name: String, _ shape: [Int], _ values: [Float]) -> TensorSpec {
        TensorSpec(name: name, dtype: "F16", shape: shape, data: values.flatMap { bytes(of: Float16($0).bitPattern) })
    }

    /// bf16 by truncation: the values given should be exact in bf16.
    static func bf16(_ name: String, _ shape: [Int], _ values: [Float]) -> TensorSpec {
        TensorSpec(name: name, dtype: "BF16", shape: shape, data: values.flatMap { bytes(of: UInt16($0.bitPattern >> 16)) })
    }

    static func i64(_ name: String, _ shape: [Int], _ values: [Int64]) -> TensorSpec {
        TensorSpec(name: name, dtype: "I64", shape: shape, data: values.flatMap { bytes(of: $0) })
    }
}

func bytes<T: FixedWidthInteger>(of value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

func jsonString(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
    let array = String(decoding: data, as: UTF8.self)
    return String(array.dropFirst().dropLast())
}

/// A whole file: header length, header (offsets computed, tensors packed in order), data.
func safetensors(_ tensors: [TensorSpec], metadata: [String: String]? = nil, padHeaderTo alignment: Int = 8) -> [UInt8] {
    var fields: [String] = []
    if let metadata {
        let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
        fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
    }
    var offset = 0
    for tensor in tensors {
        fields.append("\(jsonString(tensor.name)):{\"dtype\":\"\(tensor.dtype)\",\"shape\":\(tensor.shape),\"data_offsets\":[\(offset),\(offset + tensor.data.count)]}")
        offset += tensor.data.count
    }
    var header = "{\(fields.joined(separator: ","))}"
    while header.utf8.count % alignment != 0 { header += " " }
    return rawSafetensors(header: header, data: tensors.flatMap(\.data))
}

/// A file from a header written by hand, with the length it declares (its true length unless told).
func rawSafetensors(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
    bytes(of: declaredLength ?? UInt64(header.utf8.count)) + Array(header.utf8) + data
}

func write(_ contents: [UInt8], to path: String) throws {
    try Data(contents).write(to: URL(fileURLWithPath: path))
}

func write(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// The error a throwing call gives, as a CheckpointError (nil when it does not throw one).
func checkpointError(_ body: () throws -> Void) -> CheckpointError? {
    do { try body() } catch let error as CheckpointError { return error } catch { return nil }
    return nil
}
