/** Errors of the JSON admin API, rendered by the app's onError as `{ "error": { code, message, field? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 421 | 500 | 503,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }

  toBody() {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }

  static badRequest(message: string, field?: string) {
    return new ApiError(400, "invalid_request", message, field);
  }
  static notFound(what: string) {
    return new ApiError(404, "not_found", `${what} not found`);
  }
  static unauthorized(message = "A valid operator credential is required") {
    return new ApiError(401, "unauthorized", message);
  }
  static forbidden(code: string, message: string) {
    return new ApiError(403, code, message);
  }
}
