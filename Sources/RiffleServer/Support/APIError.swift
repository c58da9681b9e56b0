import Foundation
import HTTPTypes
import Hummingbird
import RiffleApp

/// An error as the API answers it: `{error, message, code, field?}` with the HTTP status, the shape the
/// common music-generation APIs use, so a client reads every failure the same way.
///
/// `error` is a short machine-readable name ("invalid_request", "rate_limited"); `message` says in words
/// what went wrong and what is allowed; `code` repeats the HTTP status; `field` names the request field
/// at fault when there is one.
struct APIError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var error: String
    var message: String
    var field: String?
    /// Extra headers (Retry-After and the RateLimit fields on a 429).
    var headers: HTTPFields = [:]
    /// The AudioCraft tutorial's routes answer `{"error": message}` alone.
    var tutorialShape = false

    init(_ status: HTTPResponse.Status, _ error: String, _ message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.error = error
        self.message = message
        self.field = field
        self.headers = headers
    }

    static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, "invalid_request", message, field: field)
    }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }

    static func conflict(_ message: String) -> APIError { APIError(.conflict, "conflict", message) }

    /// The application core's refusal as the status a client expects: bad input 400 (naming the field),
    /// an unknown id 404, a job in the wrong state 409, the engine or the disk 500 (503 when the engine
    /// cannot start at all).
    init(_ appError: AppError) {
        switch appError.kind {
        case .badInput: self.init(.badRequest, "invalid_request", appError.description, field: appError.field)
        case .unknownID: self.init(.notFound, "not_found", appError.description)
        case .conflict: self.init(.conflict, "conflict", appError.description)
        case .fileError: self.init(.internalServerError, "storage_error", appError.description)
        case .engineFailed: self.init(.serviceUnavailable, "engine_unavailable", appError.description)
        }
    }

    private struct Body: Encodable {
        var error: String
        var message: String
        var code: Int
        var field: String?
    }

    private struct TutorialBody: Encodable {
        var error: String
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = tutorialShape
            ? try JSONCoding.encoder.encode(TutorialBody(error: message))
            : try JSONCoding.encoder.encode(Body(error: error, message: message, code: Int(status.code), field: field))
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }
}
