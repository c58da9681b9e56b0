import Foundation
import HTTPTypes
import Hummingbird
import RiffleApp

/// Turns every failure into the API's JSON error: Hummingbird's own (no such route: 404; wrong method:
/// 405; a body too large: 413), the application core's, and anything unexpected (500, logged). The
/// AudioCraft tutorial's routes answer `{"error": …}` the way that tutorial does.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var converted: APIError
        do {
            return try await next(request, context)
        } catch let error as APIError {
            converted = error
        } catch let error as AppError {
            converted = APIError(error)
        } catch let error as HTTPError {
            converted = APIError(error.status, Self.name(of: error.status), error.body ?? Self.message(for: error.status, request),
                                 headers: error.headers)
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            converted = APIError(.internalServerError, "internal_error", "the server failed: \(error)")
        }
        converted.tutorialShape = TutorialRoutes.owns(request.uri.path)
        return try converted.response(from: request, context: context)
    }

    static func name(of status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "payload_too_large"
        case .badRequest: "invalid_request"
        case .unsupportedMediaType: "unsupported_media_type"
        default: status.code >= 500 ? "internal_error" : "error"
        }
    }

    static func message(for status: HTTPResponse.Status, _ request: Request) -> String {
        switch status {
        case .notFound: "no such endpoint: \(request.method) \(request.uri.path) (the API is described at /openapi.json)"
        case .methodNotAllowed: "\(request.method) is not allowed on \(request.uri.path)"
        default: status.reasonPhrase
        }
    }
}
